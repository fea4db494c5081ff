// The loading worker's start: the page's own WebAssembly module, entered through its worker
// half (web/src/worker.rs). The page's first and only message carries the URL of the module's
// JavaScript glue, the compiled module (so nothing is fetched or compiled again), and the job.
self.onmessage = async ({ data }) => {
  self.onmessage = null;
  try {
    const glue = await import(data.glue);
    await glue.default({ module_or_path: data.module });
    glue.load_job(data.job);
  } catch (e) {
    self.postMessage({ kind: 'failed', message: String(e && e.message ? e.message : e) });
  }
};
