// What a minimal valtio app imports (docs "Getting started"): `proxy` and `useSnapshot`.
export { proxy, useSnapshot } from 'valtio'
