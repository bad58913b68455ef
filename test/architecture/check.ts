import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

/**
 * The import rules of docs/architecture.md §1, checked over `packages/*\/src`. Returns every violation;
 * an empty list means the layering holds. Imports are read with TypeScript's own pre-processor,
 * so type-only imports, re-exports and dynamic imports all count.
 */
export interface Violation {
  rule:
    | 'core-imports-adapter'
    | 'kernel-imports-core'
    | 'adapter-imports-core'
    | 'internal-path'
    | 'non-public-runtime-path'
    | 'runtime-imports-framework'
  file: string
  specifier: string
  message: string
}

const CORE = ['store', 'txn', 'read', 'write']

export function checkArchitecture(root: string): Violation[] {
  const violations: Violation[] = []
  const packagesDir = join(root, 'packages')
  if (!existsSync(packagesDir)) return violations
  const packages = readdirSync(packagesDir).filter((p) => existsSync(join(packagesDir, p, 'package.json')))
  const runtimeExports = publicSubpaths(join(packagesDir, 'runtime', 'package.json'))

  for (const pkg of packages) {
    const src = join(packagesDir, pkg, 'src')
    for (const file of sourceFiles(src)) {
      const rel = relative(root, file).split(sep).join('/')
      const area = relative(src, file).split(sep)[0] ?? ''
      const text = readFileSync(file, 'utf8')
      for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
        const add = (rule: Violation['rule'], message: string) =>
          violations.push({ rule, file: rel, specifier, message: `${rel}: ${message} ('${specifier}')` })

        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier)
          const targetRel = relative(packagesDir, target).split(sep)
          if (targetRel[0] !== pkg) {
            add(
              'internal-path',
              `imports another package's files by path; use its package name and public exports`,
            )
            continue
          }
          const targetArea = relative(src, target).split(sep)[0] ?? ''
          if (pkg !== 'runtime') continue
          if (CORE.includes(area) && targetArea === 'adapters')
            add(
              'core-imports-adapter',
              `the semantic core (${area}/) imports an adapter or a wire/protocol type`,
            )
          if (area === 'execution' && CORE.includes(targetArea))
            add('kernel-imports-core', `the execution kernel imports store semantics (${targetArea}/)`)
          if (area === 'adapters' && CORE.includes(targetArea))
            add(
              'adapter-imports-core',
              `an adapter imports runtime state (${targetArea}/); adapters see only the kernel's ports`,
            )
          continue
        }

        const scoped = /^@atoma\/([^/]+)(?:\/(.*))?$/.exec(specifier)
        if (scoped) {
          const [, target, subpath] = scoped
          if (subpath && /(^|\/)(internal|src)(\/|$)/.test(subpath)) {
            add('internal-path', `imports @atoma/${target}'s internals`)
          } else if (target === 'runtime' && (pkg === 'react' || pkg === 'devtools')) {
            const wanted = subpath ? `./${subpath}` : '.'
            if (!runtimeExports.includes(wanted))
              add('non-public-runtime-path', `uses a path that @atoma/runtime does not export`)
          }
          if (pkg === 'runtime' && target !== 'runtime')
            add('runtime-imports-framework', 'the runtime depends on another Atoma package')
          continue
        }
        if (pkg === 'runtime' && /^(react|react-dom)(\/|$)/.test(specifier))
          add('runtime-imports-framework', 'the framework-agnostic runtime imports React')
      }
    }
  }
  return violations
}

function publicSubpaths(packageJson: string): string[] {
  if (!existsSync(packageJson)) return []
  const exports = JSON.parse(readFileSync(packageJson, 'utf8')).exports ?? {}
  return typeof exports === 'string' ? ['.'] : Object.keys(exports)
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|mts)$/.test(name) ? [path] : []
  })
}
