import { DevtoolsPanel } from '@atoma/devtools'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './components/App.js'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

// DevtoolsPanel is the real panel in development and a no-op in production builds (see vite.config.ts).
createRoot(root).render(
  <StrictMode>
    <App />
    <DevtoolsPanel />
  </StrictMode>,
)
