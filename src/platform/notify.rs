//! Desktop notifications, sent from a thread of their own so a slow or missing
//! notification service never holds up the window.

/// Shows a notification; failures (no notification service) are only logged.
pub fn show(summary: String, body: String) {
    std::thread::spawn(move || {
        let result = notify_rust::Notification::new()
            .appname("Braid")
            .summary(&summary)
            .body(&body)
            .icon(super::APP_ID)
            .show();
        if let Err(e) = result {
            eprintln!("braid: cannot show a notification: {e}");
        }
    });
}
