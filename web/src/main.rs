//! Entry point of the browser build: mounts the app on the document's body. The same module
//! also runs in the loading worker (`web/worker.js`), where there is no document: there it
//! mounts nothing and waits for `load_job`.

fn main() {
    if !airview_web::loading::worker::in_worker() {
        yew::Renderer::<airview_web::App>::new().render();
    }
}
