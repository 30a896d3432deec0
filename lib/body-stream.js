'use strict'
// A byte ReadableStream over a native BodyReader (src/fetch.rs): the native
// side pushes chunks to a small inbox, at most four ahead of what the
// stream's reader has taken; each chunk taken lets one more come.

// The inbox the native side delivers to. It is made apart from the stream
// so that the delivery function (which the native side holds on to) never
// refers to the reader, and a stream nobody reads any more can be collected
// with its reader, releasing the body.
function inbox () {
  const box = {
    items: [],
    // Set while a pull waits for the next item.
    wake: null,
    deliver (item) {
      box.items.push(item)
      if (box.wake !== null) {
        const wake = box.wake
        box.wake = null
        wake()
      }
    }
  }
  return box
}

function readerStream (reader) {
  let box = null
  // Hands the next item to the stream: a Buffer, null (the end), or a
  // failure's net::ERR_* name.
  const take = (controller) => {
    const item = box.items.shift()
    reader.more()
    if (item === null) {
      controller.close()
      controller.byobRequest?.respond(0)
    } else if (typeof item === 'string') {
      controller.error(new Error(item))
    } else {
      controller.enqueue(item)
    }
  }
  return new ReadableStream({
    type: 'bytes',
    pull (controller) {
      if (box === null) {
        box = inbox()
        reader.start(box.deliver)
      }
      if (box.items.length > 0) return take(controller)
      reader.hold()
      return new Promise((resolve) => {
        box.wake = () => {
          take(controller)
          resolve()
        }
      })
    },
    cancel () { reader.cancel() }
  }, { highWaterMark: 0 })
}

module.exports = { readerStream }
