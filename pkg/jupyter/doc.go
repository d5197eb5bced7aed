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
// [Start] launches a kernel; [Kernel.Execute] runs one cell; [RunNotebook]
// runs a whole [ipynb.Notebook] and stores the outputs in it.
//
// # A notebook is not trusted
//
// A cell may print without end, start processes that outlive it, or the
// runner may be killed mid-cell. The client bounds all three.
//
// Output. Each cell's outputs are bounded by [OutputLimits] (by default
// 4 MiB of stream text, 32 MiB of display data, 500 display outputs), as
// Jupyter front ends bound what they show: past a limit the rest is
// counted and dropped, the kernel carries on, and the cell's outputs end
// with a line saying how many bytes and messages were cut. Stream text is
// appended to builders, so a cell printing 200 MiB costs time and memory
// in proportion to it (garbage that the collector reclaims), and keeps
// only the limit. Updates of earlier cells' displays keep only the latest
// per display id.
//
// Processes. On Linux, Start does not start the kernel itself: it runs its
// own binary again (os.Executable, with LENSLOG_JUPYTER_SUPERVISE set, so
// that its main, calling Supervise first, runs as nothing else) as a
// supervisor,
// which marks itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER),
// starts the kernel with a parent-death signal, and reaps whatever exits
// below it. A process that loses its parent re-parents to the nearest
// subreaper above it, so everything a cell leaves running, `&` in a shell
// cell, `setsid` and double forks included, becomes the supervisor's
// child, while it stays invisible to the process group and session:
//
//   - when a cell ends (its reply and idle status arrived, or it was
//     interrupted), the client kills every process whose parent is the
//     supervisor, except the kernel, until none is left (their own
//     children come back to the supervisor as they die), and names them
//     in a line of the cell's output;
//   - when the kernel exits, the supervisor kills everything below it and
//     exits with the kernel's status; Close and Kill have it do the same
//     by writing on its lifeline, a pipe on its stdin;
//   - when the client dies, even by SIGKILL, the lifeline's end reaches the
//     supervisor with nothing written on it: it kills everything below it
//     and removes the kernel's folder, which holds the connection key.
//
// A subreaper was chosen over a cgroup because it needs no privileges, no
// systemd and no writable cgroup hierarchy, and works the same on a
// developer's machine and in CI. What it cannot do: a process that the
// supervisor's own death (SIGKILL to it too, or to the whole tree) leaves
// behind re-parents to init; the kernel still dies by its parent-death
// signal, a cell's programs may not. The kernel's processes share the
// supervisor's process group, and interrupts (SIGINT) go to that group;
// the supervisor ignores them. Elsewhere, the kernel leads its own
// process group and Close kills the group, which a `setsid` escapes.
//
// Memory. With [Options.Memory] the supervisor sets a data limit
// (RLIMIT_DATA) on itself before it starts the kernel, which every process
// below inherits: the kernel, the go command building a cell, the cell's
// program. A data limit, not an address-space one (RLIMIT_AS): a Go
// program reserves far more address space than it uses, and a test binary
// does not even start under a 1 GiB RLIMIT_AS. The bound is per process,
// not per tree (a cgroup would bound the tree; see above for why there is
// none). A cell that runs out of memory under it fails with an error that
// names the bound; a kernel that dies, of memory or otherwise, fails its
// cell with an error output, and [RunNotebook] marks every cell it did not
// reach (ipynb.Cell.SetNotRun) and lists them in the [CellError].
//
// Temporary folders. The kernel's folder (connection file, log) and the
// folders callers make with [MkdirTemp] are named for their owner,
// lenslog-WORD-oPID.START-N with START the owner's start time in /proc, so
// that a later process given the same pid is not taken for it. Start
// removes the folders whose owner no longer runs, and never those of a
// live run.
package jupyter
