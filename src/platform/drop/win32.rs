//! Drops on Windows.
//!
//! winit registers an `IDropTarget` on its window that reads files (`CF_HDROP`) only, so a
//! link dragged from a browser is refused. Braid revokes it and registers its own, which
//! reads files and the formats browsers put links in: `UniformResourceLocatorW` (every
//! browser), Firefox's `text/x-moz-url`, and plain Unicode text. What it reads goes the
//! same way as on every other system ([`Dragged`]).
//!
//! Type-checked with `packaging/cross-check.sh`; not run here (no Windows machine).

use std::cell::Cell;
use std::ffi::OsString;
use std::os::windows::ffi::OsStringExt;
use std::path::PathBuf;

use windows::Win32::Foundation::{HWND, POINTL};
use windows::Win32::System::Com::{DVASPECT_CONTENT, FORMATETC, IDataObject, TYMED_HGLOBAL};
use windows::Win32::System::DataExchange::RegisterClipboardFormatW;
use windows::Win32::System::Memory::{GlobalLock, GlobalSize, GlobalUnlock};
use windows::Win32::System::Ole::{
    CF_HDROP, CF_UNICODETEXT, DROPEFFECT, DROPEFFECT_COPY, DROPEFFECT_NONE, IDropTarget,
    IDropTarget_Impl, OleInitialize, RegisterDragDrop, ReleaseStgMedium, RevokeDragDrop,
};
use windows::Win32::System::SystemServices::MODIFIERKEYS_FLAGS;
use windows::Win32::UI::Shell::{DragQueryFileW, HDROP};
use windows::core::{HSTRING, PCWSTR, Ref, implement};

use super::items::wide_text;
use super::{Attached, Dragged, Event, MAX_PAYLOAD, Sink};

/// Replaces winit's drop target on the window `hwnd` with Braid's.
pub fn attach(hwnd: isize, sink: Sink) -> Attached {
    let hwnd = HWND(hwnd as *mut core::ffi::c_void);
    let target: IDropTarget = Target {
        sink,
        accepting: Cell::new(false),
    }
    .into();
    // SAFETY: called on the window's own thread (iced's `window::run`); OLE is set up
    // there already by winit, and a second OleInitialize only counts up.
    unsafe {
        let _ = OleInitialize(None);
        let _ = RevokeDragDrop(hwnd);
        RegisterDragDrop(hwnd, &target).map_err(|e| format!("RegisterDragDrop: {e}"))?;
    }
    Ok("an IDropTarget for files and links".into())
}

#[implement(IDropTarget)]
struct Target {
    sink: Sink,
    /// Whether the drag over the window holds anything readable.
    accepting: Cell<bool>,
}

impl Target {
    fn effect(&self) -> DROPEFFECT {
        if self.accepting.get() {
            DROPEFFECT_COPY
        } else {
            DROPEFFECT_NONE
        }
    }
}

impl IDropTarget_Impl for Target_Impl {
    fn DragEnter(
        &self,
        data: Ref<IDataObject>,
        _keys: MODIFIERKEYS_FLAGS,
        _point: &POINTL,
        effect: *mut DROPEFFECT,
    ) -> windows::core::Result<()> {
        let dragged = data.as_ref().and_then(read);
        self.accepting.set(dragged.is_some());
        self.sink
            .send(Event::Over(Some(dragged.unwrap_or_default())));
        // SAFETY: OLE passes a valid pointer for the answer.
        unsafe { *effect = self.effect() };
        Ok(())
    }

    fn DragOver(
        &self,
        _keys: MODIFIERKEYS_FLAGS,
        _point: &POINTL,
        effect: *mut DROPEFFECT,
    ) -> windows::core::Result<()> {
        // SAFETY: as in DragEnter.
        unsafe { *effect = self.effect() };
        Ok(())
    }

    fn DragLeave(&self) -> windows::core::Result<()> {
        self.sink.send(Event::Left);
        Ok(())
    }

    fn Drop(
        &self,
        data: Ref<IDataObject>,
        _keys: MODIFIERKEYS_FLAGS,
        _point: &POINTL,
        effect: *mut DROPEFFECT,
    ) -> windows::core::Result<()> {
        let dragged = data.as_ref().and_then(read).unwrap_or_default();
        let accepted = dragged.has_accepted();
        self.sink.send(Event::Dropped(dragged));
        let answer = if accepted {
            DROPEFFECT_COPY
        } else {
            DROPEFFECT_NONE
        };
        // SAFETY: as in DragEnter.
        unsafe { *effect = answer };
        Ok(())
    }
}

/// What a drag holds: files first, else links in the browsers' formats, else text.
fn read(data: &IDataObject) -> Option<Dragged> {
    if let Some(paths) = files(data) {
        return Some(Dragged::from_paths(paths));
    }
    let named = |name: &str| {
        // SAFETY: a valid, NUL-terminated wide string for the call.
        unsafe { RegisterClipboardFormatW(PCWSTR(HSTRING::from(name).as_ptr())) as u16 }
    };
    // All three are UTF-16LE, ended by a NUL; read as such here, so nothing is left to
    // guessing the encoding.
    for (format, mime) in [
        (named("UniformResourceLocatorW"), "text/plain"),
        (named("text/x-moz-url"), "text/x-moz-url"),
        (CF_UNICODETEXT.0, "text/plain"),
    ] {
        if let Some(bytes) = global_bytes(data, format) {
            return Some(Dragged::from_payload(mime, wide_text(&bytes).as_bytes()));
        }
    }
    None
}

fn format(format: u16) -> FORMATETC {
    FORMATETC {
        cfFormat: format,
        ptd: std::ptr::null_mut(),
        dwAspect: DVASPECT_CONTENT.0,
        lindex: -1,
        tymed: TYMED_HGLOBAL.0 as u32,
    }
}

/// The bytes of a format held in global memory, at most [`MAX_PAYLOAD`].
fn global_bytes(data: &IDataObject, cf: u16) -> Option<Vec<u8>> {
    // SAFETY: the medium is released after its memory was copied out under the lock.
    unsafe {
        let mut medium = data.GetData(&format(cf)).ok()?;
        let global = medium.u.hGlobal;
        let pointer = GlobalLock(global) as *const u8;
        let bytes = (!pointer.is_null()).then(|| {
            let size = GlobalSize(global).min(MAX_PAYLOAD);
            std::slice::from_raw_parts(pointer, size).to_vec()
        });
        let _ = GlobalUnlock(global);
        ReleaseStgMedium(&mut medium);
        bytes
    }
}

/// The paths of a file drop (`CF_HDROP`).
fn files(data: &IDataObject) -> Option<Vec<PathBuf>> {
    // SAFETY: the HDROP lives in the medium until it is released, after the paths are
    // copied out.
    unsafe {
        let mut medium = data.GetData(&format(CF_HDROP.0)).ok()?;
        let drop = HDROP(medium.u.hGlobal.0);
        let count = DragQueryFileW(drop, u32::MAX, None);
        let mut paths = Vec::new();
        for index in 0..count {
            let length = DragQueryFileW(drop, index, None) as usize;
            let mut buffer = vec![0u16; length + 1];
            let written = DragQueryFileW(drop, index, Some(&mut buffer)) as usize;
            paths.push(PathBuf::from(OsString::from_wide(&buffer[..written])));
        }
        ReleaseStgMedium(&mut medium);
        Some(paths)
    }
}
