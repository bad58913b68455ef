// Filled in by its own issue; the package exists so the workspace, build and size report cover it.
export {}
