// Package jupyter runs code on a Jupyter kernel, such as GoNB, without
// Jupyter: it speaks the Jupyter messaging protocol (v5.3) over ZeroMQ
// itself.
//
// A client writes a connection file (five loopback TCP ports and a key),
// starts the kernel with it, and connects three sockets: shell (requests
// and replies), control (interrupt and shutdown) and iopub (everything the
// kernel publishes: status, streams, displays, errors). Each message is a
// list of frames: routing identities, the delimiter "<IDS|MSG>", the hex
// HMAC-SHA256 of the next four frames under the key, then the JSON header,
// parent header, metadata and content, and optional binary buffers.
//
// Running a cell is an execute_request on shell; its outputs arrive on
// iopub as messages whose parent header is the request, and the cell is
// finished when both the execute_reply (on shell) and the "idle" status
// (on iopub) have arrived.
//
// [Start] launches a kernel in its own process group so that [Kernel.Close]
// and timeouts can stop it together with every program it started;
// [Kernel.Execute] runs one cell; [RunNotebook] runs a whole
// [ipynb.Notebook] and stores the outputs in it.
package jupyter
