// What a minimal zustand app imports (docs "Introduction"): `create`, whose hook is the binding.
export { create } from 'zustand'
