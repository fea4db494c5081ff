// The loading worker: the page's WebAssembly module, entered through web/src/loading/worker.rs.
// The page's one message is [glue URL, compiled module, job] (web/src/loading/transport.rs).
self.onmessage = async ({ data }) => {
  self.onmessage = null;
  const [glue, module, job] = data;
  try {
    const start = await import(glue);
    await start.default({ module_or_path: module });
    start.load_job(job);
  } catch (e) {
    // The protocol's FromWorker::Failed (crates/app/src/protocol.rs), written here because
    // the module could not start.
    self.postMessage([JSON.stringify({ failed: { message: String(e && e.message ? e.message : e) } })]);
  }
};
