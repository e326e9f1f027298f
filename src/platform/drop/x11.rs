//! Drops on X11 through an XDND proxy.
//!
//! winit 0.30 runs XDND on its window itself, accepts every drop and then keeps only
//! `file://` URIs, so a link dragged from a browser is lost. Instead of forking it, Braid
//! sets `XdndProxy` on winit's window to an InputOnly window of its own X connection
//! (the XDND spec's proxy mechanism, made for exactly this) and runs XDND v5 there: it
//! reads the source's types, asks for the best one while the drag hovers (so the overlay
//! can say what a drop will do), and answers `XdndFinished` with whether anything was
//! taken. Sources that ignore the proxy still talk to winit's window and get its file
//! drops, as before.
//!
//! One thread owns the connection and blocks on its events; a drop whose data does not
//! come is ended by a watchdog message it sends itself.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::Event as XEvent;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ClientMessageEvent, ConnectionExt as _, CreateWindowAux, EventMask, PropMode,
    Property, Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

use super::{Dragged, Event, Sink};

/// The XDND version spoken.
const VERSION: u32 = 5;

/// How long a drop waits for its data before it is given up.
const DATA_TIMEOUT: Duration = Duration::from_secs(5);

/// Starts the proxy for winit's window `target`.
pub fn attach(target: Window, sink: Sink) -> Result<String, String> {
    let (conn, screen) = x11rb::connect(None).map_err(|e| format!("X11: {e}"))?;
    let conn = Arc::new(conn);
    let atoms = Atoms::intern(&conn).map_err(|e| format!("X11: {e}"))?;
    let root = conn.setup().roots[screen].root;
    let proxy = create_proxy(&conn, root, target, &atoms).map_err(|e| format!("X11: {e}"))?;
    let receiver = Receiver {
        conn,
        atoms,
        proxy,
        names: HashMap::new(),
        drag: None,
        sink,
    };
    std::thread::Builder::new()
        .name("braid-xdnd".into())
        .spawn(move || receiver.run())
        .map_err(|e| e.to_string())?;
    Ok(format!("XDND proxy {proxy:#x} for window {target:#x}"))
}

fn create_proxy(
    conn: &RustConnection,
    root: Window,
    target: Window,
    atoms: &Atoms,
) -> Result<Window, Box<dyn std::error::Error>> {
    let proxy = conn.generate_id()?;
    conn.create_window(
        0,
        proxy,
        root,
        -1,
        -1,
        1,
        1,
        0,
        WindowClass::INPUT_ONLY,
        x11rb::COPY_FROM_PARENT,
        // PropertyNotify for INCR transfers of large payloads.
        &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE),
    )?;
    conn.change_property32(
        PropMode::REPLACE,
        proxy,
        atoms.xdnd_aware,
        AtomEnum::ATOM,
        &[VERSION],
    )?;
    // The spec: a proxy names itself, so a source can tell a live proxy from a stale one.
    conn.change_property32(
        PropMode::REPLACE,
        proxy,
        atoms.xdnd_proxy,
        AtomEnum::WINDOW,
        &[proxy],
    )?;
    conn.change_property32(
        PropMode::REPLACE,
        target,
        atoms.xdnd_proxy,
        AtomEnum::WINDOW,
        &[proxy],
    )?;
    conn.flush()?;
    Ok(proxy)
}

struct Atoms {
    xdnd_aware: Atom,
    xdnd_proxy: Atom,
    enter: Atom,
    position: Atom,
    status: Atom,
    leave: Atom,
    drop: Atom,
    finished: Atom,
    selection: Atom,
    type_list: Atom,
    action_copy: Atom,
    incr: Atom,
    /// Where the source puts the data for us.
    property: Atom,
    /// The watchdog's message to this thread.
    timeout: Atom,
}

impl Atoms {
    fn intern(conn: &RustConnection) -> Result<Atoms, Box<dyn std::error::Error>> {
        let atom = |name: &str| -> Result<Atom, Box<dyn std::error::Error>> {
            Ok(conn.intern_atom(false, name.as_bytes())?.reply()?.atom)
        };
        Ok(Atoms {
            xdnd_aware: atom("XdndAware")?,
            xdnd_proxy: atom("XdndProxy")?,
            enter: atom("XdndEnter")?,
            position: atom("XdndPosition")?,
            status: atom("XdndStatus")?,
            leave: atom("XdndLeave")?,
            drop: atom("XdndDrop")?,
            finished: atom("XdndFinished")?,
            selection: atom("XdndSelection")?,
            type_list: atom("XdndTypeList")?,
            action_copy: atom("XdndActionCopy")?,
            incr: atom("INCR")?,
            property: atom("BRAID_XDND_DATA")?,
            timeout: atom("BRAID_XDND_TIMEOUT")?,
        })
    }
}

/// The drag in progress.
struct Drag {
    source: Window,
    /// The window the source addressed (winit's), named in every answer.
    target: Window,
    /// The type asked for, and its name; `None` when none of the offered types is text.
    wanted: Option<(Atom, String)>,
    requested: bool,
    /// An INCR transfer under way: the bytes so far.
    incoming: Option<Vec<u8>>,
    data: Option<Dragged>,
    dropped: bool,
    /// Tells the watchdog's message for this drop from one for an earlier drop.
    serial: u32,
}

struct Receiver {
    conn: Arc<RustConnection>,
    atoms: Atoms,
    proxy: Window,
    names: HashMap<Atom, String>,
    drag: Option<Drag>,
    sink: Sink,
}

impl Receiver {
    fn run(mut self) {
        let mut serial = 0u32;
        while let Ok(event) = self.conn.wait_for_event() {
            let handled = match event {
                XEvent::ClientMessage(message) => {
                    serial = serial.wrapping_add(1);
                    self.client_message(&message, serial)
                }
                XEvent::SelectionNotify(notify) if notify.requestor == self.proxy => {
                    self.selection_notify(notify.property)
                }
                XEvent::PropertyNotify(notify)
                    if notify.window == self.proxy
                        && notify.atom == self.atoms.property
                        && notify.state == Property::NEW_VALUE =>
                {
                    self.incr_chunk()
                }
                _ => Ok(()),
            };
            if handled.and_then(|()| Ok(self.conn.flush()?)).is_err() {
                // A failed request on our own connection: drop this drag, keep serving.
                self.drag = None;
                self.sink.send(Event::Left);
            }
            if !self.sink.is_open() {
                return;
            }
        }
    }

    fn client_message(&mut self, message: &ClientMessageEvent, serial: u32) -> Result<(), Error> {
        let data = message.data.as_data32();
        let kind = message.type_;
        if kind == self.atoms.enter {
            let types = self.offered_types(data)?;
            let wanted = super::preferred_type(types.iter().map(|(_, name)| name.as_str()))
                .and_then(|name| types.iter().find(|(_, n)| n == name).cloned());
            self.drag = Some(Drag {
                source: data[0],
                target: message.window,
                wanted,
                requested: false,
                incoming: None,
                data: None,
                dropped: false,
                serial,
            });
            // Nothing readable (an image, say): the overlay says so at once.
            let unreadable = self.drag.as_ref().is_some_and(|d| d.wanted.is_none());
            self.sink
                .send(Event::Over(unreadable.then(Dragged::default)));
        } else if kind == self.atoms.position {
            let Some(drag) = &mut self.drag else {
                return Ok(());
            };
            let accept = drag.wanted.is_some();
            if accept && !drag.requested {
                drag.requested = true;
                let (wanted, _) = drag.wanted.clone().unwrap_or_default();
                self.conn.convert_selection(
                    self.proxy,
                    self.atoms.selection,
                    wanted,
                    self.atoms.property,
                    data[3],
                )?;
            }
            let (source, target) = (drag.source, drag.target);
            let action = if accept { self.atoms.action_copy } else { 0 };
            // Accepted when the data is text Braid reads: what it holds is judged on the
            // drop, and what is refused then is said in the window, not by a silent no.
            self.send(
                source,
                self.atoms.status,
                [target, u32::from(accept), 0, 0, action],
            )?;
        } else if kind == self.atoms.leave {
            if self.drag.take().is_some() {
                self.sink.send(Event::Left);
            }
        } else if kind == self.atoms.drop {
            let Some(drag) = &mut self.drag else {
                return Ok(());
            };
            drag.dropped = true;
            match (&drag.wanted, drag.requested) {
                (None, _) => return self.finish(),
                (Some((wanted, _)), false) => {
                    drag.requested = true;
                    self.conn.convert_selection(
                        self.proxy,
                        self.atoms.selection,
                        *wanted,
                        self.atoms.property,
                        data[2],
                    )?;
                }
                _ => {}
            }
            if drag.data.is_some() {
                return self.finish();
            }
            let serial = drag.serial;
            self.watchdog(serial);
        } else if kind == self.atoms.timeout
            && self.drag.as_ref().is_some_and(|d| d.serial == data[0])
        {
            self.finish()?;
        }
        Ok(())
    }

    /// The types a source offers: up to three in XdndEnter, else its XdndTypeList.
    fn offered_types(&mut self, data: [u32; 5]) -> Result<Vec<(Atom, String)>, Error> {
        let atoms: Vec<Atom> = if data[1] & 1 == 1 {
            let reply = self
                .conn
                .get_property(false, data[0], self.atoms.type_list, AtomEnum::ATOM, 0, 256)?
                .reply()?;
            reply.value32().map(Iterator::collect).unwrap_or_default()
        } else {
            data[2..5].iter().copied().filter(|a| *a != 0).collect()
        };
        atoms
            .into_iter()
            .map(|atom| Ok((atom, self.name(atom)?)))
            .collect()
    }

    fn name(&mut self, atom: Atom) -> Result<String, Error> {
        if let Some(name) = self.names.get(&atom) {
            return Ok(name.clone());
        }
        let reply = self.conn.get_atom_name(atom)?.reply()?;
        let name = String::from_utf8_lossy(&reply.name).into_owned();
        self.names.insert(atom, name.clone());
        Ok(name)
    }

    fn selection_notify(&mut self, property: Atom) -> Result<(), Error> {
        let Some(drag) = &mut self.drag else {
            return Ok(());
        };
        if property == u32::from(AtomEnum::NONE) {
            // The source could not convert: nothing to read.
            drag.data = Some(Dragged::default());
            return self.data_arrived();
        }
        let reply = self
            .conn
            .get_property(
                true,
                self.proxy,
                self.atoms.property,
                AtomEnum::ANY,
                0,
                (super::MAX_PAYLOAD / 4) as u32,
            )?
            .reply()?;
        if reply.type_ == self.atoms.incr {
            // Deleting the property told the source to send the first chunk.
            drag.incoming = Some(Vec::new());
            return Ok(());
        }
        let mime = drag
            .wanted
            .as_ref()
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        drag.data = Some(Dragged::from_payload(&mime, &reply.value));
        self.data_arrived()
    }

    fn incr_chunk(&mut self) -> Result<(), Error> {
        let Some(drag) = &mut self.drag else {
            return Ok(());
        };
        let Some(incoming) = &mut drag.incoming else {
            return Ok(());
        };
        let reply = self
            .conn
            .get_property(
                true,
                self.proxy,
                self.atoms.property,
                AtomEnum::ANY,
                0,
                (super::MAX_PAYLOAD / 4) as u32,
            )?
            .reply()?;
        incoming.extend_from_slice(&reply.value);
        // A zero-length chunk ends the transfer; past the cap the rest is not read.
        if reply.value.is_empty() || incoming.len() >= super::MAX_PAYLOAD {
            let bytes = drag.incoming.take().unwrap_or_default();
            let mime = drag
                .wanted
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            drag.data = Some(Dragged::from_payload(&mime, &bytes));
            return self.data_arrived();
        }
        Ok(())
    }

    fn data_arrived(&mut self) -> Result<(), Error> {
        let Some(drag) = &self.drag else {
            return Ok(());
        };
        if drag.dropped {
            return self.finish();
        }
        self.sink.send(Event::Over(drag.data.clone()));
        Ok(())
    }

    /// Ends the dropped drag: the window gets what it held, the source an honest answer.
    fn finish(&mut self) -> Result<(), Error> {
        let Some(drag) = self.drag.take() else {
            return Ok(());
        };
        let data = drag.data.unwrap_or_default();
        let accepted = data.has_accepted();
        self.sink.send(Event::Dropped(data));
        let action = if accepted { self.atoms.action_copy } else { 0 };
        self.send(
            drag.source,
            self.atoms.finished,
            [drag.target, u32::from(accepted), action, 0, 0],
        )
    }

    /// Sends an XDND message to `to`; the first datum names the window the source
    /// dropped on (winit's), as the spec asks of a proxy.
    fn send(&self, to: Window, kind: Atom, data: [u32; 5]) -> Result<(), Error> {
        let message = ClientMessageEvent::new(32, to, kind, data);
        self.conn
            .send_event(false, to, EventMask::NO_EVENT, message)?;
        Ok(())
    }

    /// Ends the drop after [`DATA_TIMEOUT`] should its data never come.
    fn watchdog(&self, serial: u32) {
        let conn = self.conn.clone();
        let (proxy, kind) = (self.proxy, self.atoms.timeout);
        std::thread::spawn(move || {
            std::thread::sleep(DATA_TIMEOUT);
            let message = ClientMessageEvent::new(32, proxy, kind, [serial, 0, 0, 0, 0]);
            let _ = conn.send_event(false, proxy, EventMask::NO_EVENT, message);
            let _ = conn.flush();
        });
    }
}

type Error = Box<dyn std::error::Error>;
