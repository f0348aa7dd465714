//! The browser entry point, built by Trunk (see `index.html`) with the `web` feature.

fn main() {
    yew::Renderer::<serverless_playground::ui::App>::new().render();
}
