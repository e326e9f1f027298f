//! Drops on macOS.
//!
//! winit's view registers for file URLs only and hands over their paths, so a link
//! dragged from a browser is refused. Braid gives winit's `NSView` a subclass of its own
//! class, made at run time (the way key-value observing does it), which also registers
//! for URLs and strings and answers the dragging-destination messages itself: file and
//! web URLs are read from the pasteboard (`NSURL` objects), else its plain text, and go
//! the same way as on every other system ([`Dragged`]).
//!
//! Type-checked with `packaging/cross-check.sh`; not run here (no Mac).

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::OnceLock;

use objc2::runtime::{AnyClass, AnyObject, Bool, ClassBuilder, ProtocolObject, Sel};
use objc2::{ClassType, sel};
use objc2_app_kit::{
    NSDragOperation, NSDraggingInfo, NSPasteboardTypeFileURL, NSPasteboardTypeString,
    NSPasteboardTypeURL, NSView,
};
use objc2_foundation::{NSArray, NSURL};

use super::{Attached, Dragged, Event, Sink};

/// Where the view's methods send what they see (one window).
static SINK: OnceLock<Sink> = OnceLock::new();

/// Makes winit's view `ns_view` take links as well as files.
pub fn attach(ns_view: NonNull<c_void>, sink: Sink) -> Attached {
    let _ = SINK.set(sink);
    // SAFETY: raw-window-handle's AppKit handle is winit's NSView, alive while the window
    // is, and this runs on the main thread (iced's `window::run`).
    let view: &NSView = unsafe { ns_view.cast::<NSView>().as_ref() };
    let class = drop_class(view.class())?;
    // SAFETY: the new class is a subclass of the view's own class that adds methods
    // only (no instance variables), so the object's layout stays valid.
    unsafe {
        objc2::ffi::object_setClass(view as *const NSView as *mut AnyObject, class);
    }
    let types = NSArray::from_slice(&[
        // SAFETY: AppKit's constant strings, valid for the life of the process.
        unsafe { NSPasteboardTypeFileURL },
        unsafe { NSPasteboardTypeURL },
        unsafe { NSPasteboardTypeString },
    ]);
    view.registerForDraggedTypes(&types);
    Ok("an NSView drop handler for files and links".into())
}

// The receiver as a raw pointer: objc2 implements methods for one lifetime of `&T`,
// never for all of them, and these functions do not look at it.
type Drag = unsafe extern "C-unwind" fn(*mut AnyObject, Sel, *mut AnyObject) -> NSDragOperation;
type Decide = unsafe extern "C-unwind" fn(*mut AnyObject, Sel, *mut AnyObject) -> Bool;
type Notice = unsafe extern "C-unwind" fn(*mut AnyObject, Sel, *mut AnyObject);

/// Braid's subclass of winit's view class, made once.
fn drop_class(parent: &'static AnyClass) -> Result<&'static AnyClass, String> {
    let name = c"BraidDropView";
    if let Some(existing) = AnyClass::get(name) {
        return Ok(existing);
    }
    let mut builder =
        ClassBuilder::new(name, parent).ok_or("the drop view class cannot be made")?;
    // SAFETY: each function has the signature AppKit calls the selector with.
    unsafe {
        builder.add_method(sel!(draggingEntered:), entered as Drag);
        builder.add_method(sel!(draggingUpdated:), updated as Drag);
        builder.add_method(sel!(draggingExited:), exited as Notice);
        builder.add_method(sel!(prepareForDragOperation:), prepare as Decide);
        builder.add_method(sel!(performDragOperation:), perform as Decide);
    }
    Ok(builder.register())
}

fn send(event: Event) {
    if let Some(sink) = SINK.get() {
        sink.send(event);
    }
}

fn copy_if(accepting: bool) -> NSDragOperation {
    if accepting {
        NSDragOperation::Copy
    } else {
        NSDragOperation::None
    }
}

unsafe extern "C-unwind" fn entered(
    _: *mut AnyObject,
    _: Sel,
    sender: *mut AnyObject,
) -> NSDragOperation {
    let dragged = read(sender);
    let readable = !dragged.items.is_empty();
    send(Event::Over(Some(dragged)));
    copy_if(readable)
}

unsafe extern "C-unwind" fn updated(
    _: *mut AnyObject,
    _: Sel,
    sender: *mut AnyObject,
) -> NSDragOperation {
    copy_if(!read(sender).items.is_empty())
}

unsafe extern "C-unwind" fn exited(_: *mut AnyObject, _: Sel, _: *mut AnyObject) {
    send(Event::Left);
}

unsafe extern "C-unwind" fn prepare(_: *mut AnyObject, _: Sel, _: *mut AnyObject) -> Bool {
    Bool::YES
}

unsafe extern "C-unwind" fn perform(_: *mut AnyObject, _: Sel, sender: *mut AnyObject) -> Bool {
    let dragged = read(sender);
    let accepted = dragged.has_accepted();
    send(Event::Dropped(dragged));
    Bool::new(accepted)
}

/// What the drag's pasteboard holds: its URLs (files and links), else its text.
fn read(sender: *mut AnyObject) -> Dragged {
    // SAFETY: AppKit passes an object conforming to NSDraggingInfo.
    let Some(info) = (unsafe { sender.cast::<ProtocolObject<dyn NSDraggingInfo>>().as_ref() })
    else {
        return Dragged::default();
    };
    let pasteboard = info.draggingPasteboard();
    let classes = NSArray::from_slice(&[NSURL::class()]);
    let mut lines = Vec::new();
    // SAFETY: the class list holds NSURL, which the pasteboard can read; no options.
    if let Some(objects) = unsafe { pasteboard.readObjectsForClasses_options(&classes, None) } {
        for object in objects.iter() {
            if let Ok(url) = object.downcast::<NSURL>()
                && let Some(text) = url.absoluteString()
            {
                lines.push(text.to_string());
            }
        }
    }
    if lines.is_empty() {
        // SAFETY: AppKit's constant string.
        if let Some(text) = pasteboard.stringForType(unsafe { NSPasteboardTypeString }) {
            return Dragged::from_payload("text/plain", text.to_string().as_bytes());
        }
    }
    Dragged::from_lines(lines.iter().map(String::as_str))
}
