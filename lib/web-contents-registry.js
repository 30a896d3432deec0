'use strict'
// Live WebContents stand-ins by id, so native questions that name a
// webContents id reach handlers as the object itself.

const byId = new Map()
let nextId = 1

module.exports = {
  add (wc) {
    const id = nextId++
    byId.set(id, wc)
    return id
  },
  remove (id) { byId.delete(id) },
  fromId (id) { return byId.get(id) ?? null }
}
