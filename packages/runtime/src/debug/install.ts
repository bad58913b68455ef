// Side effect on purpose: importing this module makes `createRuntime({ devtools })` join the
// DevtoolsHub (see connect.ts). `@atoma/runtime/devtools` is this module.
import { debugObserver } from '../bus/debugObserver.js'
import { installDevtoolsHub } from './connect.js'
import { registerDevtoolsInstance } from './hub.js'

installDevtoolsHub({ register: registerDevtoolsInstance, observer: debugObserver })
