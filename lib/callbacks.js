'use strict'
// Adapters from the ways a user handler can answer to the one Promise the
// native side awaits per question.

// Electron's `(…, callback)` style, or a returned value or Promise: the first
// answer wins, passed through `convert`; a returned `undefined` (or a Promise
// of it) means "wait for the callback". A throw or a rejection rejects.
function fromCallbackOrValue (invoke, convert = Boolean) {
  return new Promise((resolve, reject) => {
    const callback = (answer) => resolve(convert(answer))
    const returned = invoke(callback)
    if (returned !== undefined) {
      Promise.resolve(returned).then((v) => { if (v !== undefined) callback(v) }, reject)
    }
  })
}

// A returned value or Promise, read as a boolean (`undefined` is false, as
// Electron's conversion of a handler's result reads it).
function fromValue (invoke) {
  return new Promise((resolve) => resolve(invoke())).then(Boolean)
}

module.exports = { fromCallbackOrValue, fromValue }
