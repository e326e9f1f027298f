//! Files the desktop asks Braid to open without putting them on a command line.
//!
//! On macOS a Finder double-click, "Open With" or a drop on the Dock icon does not run
//! `braid FILE`: it launches the app with no arguments (or reuses the running one) and
//! sends an "open documents" Apple event. winit, under iced 0.14, does not pass that event
//! on, so Braid installs its own handler. Elsewhere the desktop runs `braid FILE` and the
//! single-instance hand-off covers it, so there is nothing to listen to.

use tokio::sync::mpsc::UnboundedReceiver;

/// Starts listening; must run on the main thread before the window opens, or the files
/// the app was launched with are missed. Each message is a list of absolute paths.
pub fn listen() -> Option<UnboundedReceiver<Vec<String>>> {
    #[cfg(target_os = "macos")]
    {
        macos::listen()
    }
    #[cfg(not(target_os = "macos"))]
    {
        None
    }
}

#[cfg(target_os = "macos")]
mod macos {
    use objc2::rc::Retained;
    use objc2::runtime::NSObject;
    use objc2::{DefinedClass, MainThreadMarker, MainThreadOnly, define_class, msg_send, sel};
    use objc2_foundation::{
        NSAppleEventDescriptor, NSAppleEventManager, NSNotification, NSNotificationCenter, NSString,
    };
    use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

    /// Four-character codes from Carbon's AEDataModel.h / AERegistry.h.
    const CORE_EVENT_CLASS: u32 = u32::from_be_bytes(*b"aevt");
    const OPEN_DOCUMENTS: u32 = u32::from_be_bytes(*b"odoc");
    /// The event's direct object: the list of files.
    const DIRECT_OBJECT: u32 = u32::from_be_bytes(*b"----");

    struct Ivars {
        opened: UnboundedSender<Vec<String>>,
    }

    define_class!(
        // SAFETY: NSObject has no subclassing requirements, and this class does not
        // implement Drop.
        #[unsafe(super(NSObject))]
        #[thread_kind = MainThreadOnly]
        #[name = "BraidDesktopOpens"]
        #[ivars = Ivars]
        struct DesktopOpens;

        impl DesktopOpens {
            /// AppKit installs its own handlers for the required Apple events while
            /// launching, just before this notification, and delivers the launch's
            /// "open documents" event right after it. A handler installed here replaces
            /// AppKit's (which would ask winit's delegate, which does not answer) and
            /// still sees the files the app was launched with.
            #[unsafe(method(applicationWillFinishLaunching:))]
            fn will_finish_launching(&self, _notification: &NSNotification) {
                let manager = NSAppleEventManager::sharedAppleEventManager();
                // SAFETY: `self` answers the selector with the signature the manager
                // calls, and it lives for the rest of the process (see `listen`).
                unsafe {
                    let _: () = msg_send![
                        &manager,
                        setEventHandler: self,
                        andSelector: sel!(openDocuments:withReplyEvent:),
                        forEventClass: CORE_EVENT_CLASS,
                        andEventID: OPEN_DOCUMENTS
                    ];
                }
            }

            #[unsafe(method(openDocuments:withReplyEvent:))]
            fn open_documents(&self, event: &NSAppleEventDescriptor, _reply: &NSAppleEventDescriptor) {
                let paths = file_paths(event);
                if !paths.is_empty() {
                    // The window has closed if nobody receives; nothing is left to do.
                    let _ = self.ivars().opened.send(paths);
                }
            }
        }
    );

    pub fn listen() -> Option<UnboundedReceiver<Vec<String>>> {
        let main_thread = MainThreadMarker::new()?;
        let (sender, receiver) = unbounded_channel();
        let this = DesktopOpens::alloc(main_thread).set_ivars(Ivars { opened: sender });
        // SAFETY: NSObject's init, on a freshly allocated object.
        let this: Retained<DesktopOpens> = unsafe { msg_send![super(this), init] };
        let name = NSString::from_str("NSApplicationWillFinishLaunchingNotification");
        // SAFETY: `this` answers the selector with an NSNotification argument.
        unsafe {
            NSNotificationCenter::defaultCenter().addObserver_selector_name_object(
                &this,
                sel!(applicationWillFinishLaunching:),
                Some(&name),
                None,
            );
        }
        // Neither the notification centre nor the Apple event manager keeps its
        // observer alive, and both need it until the process ends.
        std::mem::forget(this);
        Some(receiver)
    }

    /// The files an "open documents" event names. A single file may come as the direct
    /// object itself rather than a list of one.
    fn file_paths(event: &NSAppleEventDescriptor) -> Vec<String> {
        // SAFETY: `paramDescriptorForKeyword:` takes an AEKeyword (a u32) and returns a
        // descriptor or nil.
        let list: Option<Retained<NSAppleEventDescriptor>> =
            unsafe { msg_send![event, paramDescriptorForKeyword: DIRECT_OBJECT] };
        let Some(list) = list else {
            return Vec::new();
        };
        let count = list.numberOfItems();
        let items: Vec<_> = if count <= 0 {
            vec![list]
        } else {
            (1..=count)
                .filter_map(|index| list.descriptorAtIndex(index))
                .collect()
        };
        items
            .iter()
            .filter_map(|item| item.fileURLValue()?.to_file_path())
            .map(|path| path.to_string_lossy().into_owned())
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use objc2::rc::Retained;
        use objc2::{ClassType, msg_send};
        use objc2_foundation::{NSAppleEventDescriptor, NSURL};

        use super::{CORE_EVENT_CLASS, DIRECT_OBJECT, OPEN_DOCUMENTS, file_paths};

        fn event_with(direct_object: &NSAppleEventDescriptor) -> Retained<NSAppleEventDescriptor> {
            // kAutoGenerateReturnID and kAnyTransactionID.
            let (return_id, transaction_id) = (-1i16, 0i32);
            // SAFETY: the documented signature, with a nil target.
            unsafe {
                let event: Retained<NSAppleEventDescriptor> = msg_send![
                    NSAppleEventDescriptor::class(),
                    appleEventWithEventClass: CORE_EVENT_CLASS,
                    eventID: OPEN_DOCUMENTS,
                    targetDescriptor: None::<&NSAppleEventDescriptor>,
                    returnID: return_id,
                    transactionID: transaction_id
                ];
                let _: () =
                    msg_send![&event, setParamDescriptor: direct_object, forKeyword: DIRECT_OBJECT];
                event
            }
        }

        fn file(path: &str) -> Retained<NSAppleEventDescriptor> {
            let url = NSURL::from_file_path(path).unwrap();
            NSAppleEventDescriptor::descriptorWithFileURL(&url)
        }

        #[test]
        fn an_open_documents_event_names_its_files() {
            let list = NSAppleEventDescriptor::listDescriptor();
            list.insertDescriptor_atIndex(&file("/tmp/a.meta4"), 1);
            list.insertDescriptor_atIndex(&file("/tmp/with space.metalink"), 2);
            assert_eq!(
                file_paths(&event_with(&list)),
                ["/tmp/a.meta4", "/tmp/with space.metalink"]
            );
        }

        #[test]
        fn a_single_file_may_come_without_a_list() {
            assert_eq!(
                file_paths(&event_with(&file("/tmp/a.meta4"))),
                ["/tmp/a.meta4"]
            );
        }
    }
}

#[cfg(all(test, not(target_os = "macos")))]
mod tests {
    #[test]
    fn nothing_to_listen_to_off_macos() {
        assert!(super::listen().is_none());
    }
}
