//! Entry point of the browser build: mounts the app on the document's body.

fn main() {
    yew::Renderer::<airview_web::App>::new().render();
}
