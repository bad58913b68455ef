interface ImportMetaEnv {
  /** `true` ships the devtools panel in a production build (see vite.config.ts). */
  readonly VITE_ATOMA_DEVTOOLS?: string
}
