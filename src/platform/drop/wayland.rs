//! Drops on Wayland.
//!
//! winit 0.30 has no Wayland drag-and-drop, and the one data device a client should have
//! per seat is already iced's clipboard's (window_clipboard → smithay-clipboard). A second
//! device would get the drops on wlroots but breaks paste on Mutter, which keeps one per
//! client. So Braid patches smithay-clipboard (`patches/smithay-clipboard`, see its
//! BRAID.md) to serve drags on that same device, and this is where it hands them: the
//! clipboard thread asks which type to take, reads the data while the drag hovers and
//! again on the drop, and this turns it into [`Event`]s.

use smithay_clipboard::dnd::{DropTarget, set_drop_target};

use super::{Attached, Dragged, Event, Sink};

struct Target {
    sink: Sink,
}

impl DropTarget for Target {
    fn enter(&mut self, mime_types: &[String]) -> Option<String> {
        let wanted = super::preferred_type(mime_types.iter().map(String::as_str));
        // Nothing readable (an image, say): the overlay says so at once.
        self.sink
            .send(Event::Over(wanted.is_none().then(Dragged::default)));
        wanted.map(str::to_owned)
    }

    fn data(&mut self, mime: &str, data: std::io::Result<Vec<u8>>, dropped: bool) {
        let dragged = data
            .map(|bytes| Dragged::from_payload(mime, &bytes))
            .unwrap_or_default();
        self.sink.send(if dropped {
            Event::Dropped(dragged)
        } else {
            Event::Over(Some(dragged))
        });
    }

    fn leave(&mut self) {
        self.sink.send(Event::Left);
    }
}

/// Routes drags on the clipboard's data device to `sink`.
pub fn attach(sink: Sink) -> Attached {
    set_drop_target(Box::new(Target { sink }));
    Ok("Wayland drops on the clipboard's data device".into())
}
