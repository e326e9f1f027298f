//! Streams from outside the window: engine events, hand-offs from later instances,
//! files from the desktop, and SIGTERM. Each is handed over once through a shared slot
//! and then runs for the life of the window.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use iced::Subscription;
use iced::futures::Stream;
use iced::futures::stream;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::platform::instance::{self, Listener};

/// A value taken by the first subscription that runs; its identity is the name.
pub struct Slot<T>(pub &'static str, pub Arc<Mutex<Option<T>>>);

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Slot(self.0, self.1.clone())
    }
}

impl<T> Hash for Slot<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<T> Slot<T> {
    pub fn new(name: &'static str, value: T) -> Self {
        Slot(name, Arc::new(Mutex::new(Some(value))))
    }

    fn take(&self) -> Option<T> {
        self.1.lock().unwrap().take()
    }
}

/// Everything sent into a channel: engine events, files from the desktop.
pub fn channel<T: Send + 'static>(slot: Slot<UnboundedReceiver<T>>) -> Subscription<T> {
    Subscription::run_with(slot, |slot| {
        stream::unfold(slot.take(), |receiver| async move {
            let mut receiver = receiver?;
            let item = receiver.recv().await?;
            Some((item, Some(receiver)))
        })
    })
}

/// Arguments handed over by later `braid` processes.
pub fn hand_offs(slot: Slot<Listener>) -> Subscription<Vec<String>> {
    Subscription::run_with(slot, |slot| listen(slot.take()))
}

fn listen(listener: Option<Listener>) -> impl Stream<Item = Vec<String>> {
    stream::unfold(
        (listener, None::<instance::Accepting>),
        |(raw, accepting)| async move {
            let accepting = match accepting {
                Some(accepting) => accepting,
                None => instance::accepting(raw?).ok()?,
            };
            let args = accepting.next().await;
            Some((args, (None, Some(accepting))))
        },
    )
}

/// SIGTERM (logout, `kill`): the window shuts down as if closed.
pub fn terminate() -> Subscription<()> {
    Subscription::run(|| {
        stream::unfold(false, |done| async move {
            if done {
                return None;
            }
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                let mut term = signal(SignalKind::terminate()).ok()?;
                term.recv().await?;
            }
            #[cfg(not(unix))]
            {
                std::future::pending::<()>().await;
            }
            Some(((), true))
        })
    })
}
