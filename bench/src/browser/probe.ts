/**
 * Installed in every page before its app (as a string: the page runs it, not Node). The driver
 * arms it, clicks, and reads the time from the click (a capturing listener on `window` runs before
 * React's own) either to the paint after the commit — a `requestAnimationFrame` runs before the
 * next paint, a message posted from it runs after — or, given a selector and a text, to the DOM
 * mutation that makes that element show the text.
 */
export const probeScript = `(() => {
  let resolve = null, done = null, expected = null, start = 0
  const afterPaint = (callback) => requestAnimationFrame(() => {
    const channel = new MessageChannel()
    channel.port1.onmessage = callback
    channel.port2.postMessage(null)
  })
  const finish = () => {
    const settle = resolve
    resolve = null
    settle(performance.now() - start)
  }
  window.__bench = {
    arm(selector, text) {
      expected = selector ? { selector, text } : null
      done = new Promise((r) => { resolve = r })
    },
    result: () => done,
    settled: () => new Promise((r) => afterPaint(() => r())),
  }
  addEventListener('click', () => {
    if (!resolve) return
    start = performance.now()
    if (!expected) return afterPaint(finish)
    const { selector, text } = expected
    const observer = new MutationObserver(() => {
      if (document.querySelector(selector)?.textContent !== text) return
      observer.disconnect()
      finish()
    })
    observer.observe(document.body, { subtree: true, childList: true, characterData: true })
  }, true)
})()`
