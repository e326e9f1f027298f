# Braid's interface text (English, the source). Every key here must exist in every
# other language file; `cargo test` checks it.

## Toolbar and notices
toolbar-open = Open…
toolbar-paste = Paste links
toolbar-settings = Settings
notice-dismiss = Dismiss
drop-here = Drop .meta4 or .metalink files to add them
closing = Pausing and saving every download…
open-title = Open metalinks
open-filter = Metalink files

## Queue
queue-empty-title = No downloads yet
queue-empty-help = Open a metalink with Ctrl+O, drop a .meta4 or .metalink file here, or paste links with Ctrl+V.
queue-select-all = Select all
queue-pause-selected = Pause selected
queue-resume-selected = Resume selected
queue-pause-all = Pause all
queue-resume-all = Resume all
queue-remove-selected = Remove selected
queue-count = { $count ->
    [one] 1 download
   *[other] { $count } downloads
}
queue-eta = { $time } left
queue-mirrors = { $active } of { $all } mirrors in use
size-unknown = size unknown

## States
state-queued = Waiting
state-running = Downloading
state-paused = Paused
state-verified = Done, verified with { $hash }
state-finished-unverified = Done, not verified (no hash given)
state-failed = Failed

## Actions
action-pause = Pause
action-resume = Resume
action-retry = Retry
action-cancel = Cancel
action-remove = Remove
action-delete = Delete file
action-open-file = Open
action-open-folder = Folder
action-details = Details

## Add dialog
add-title = Add download
add-destination = Save to
add-choose-folder = Choose…
add-start = Download now
add-queue = Add paused
add-cancel = Cancel
add-checked-with = checked with { $hash }
add-hash-and-pieces = checked with { $hash }, pieces with { $pieces }
add-pieces-only = pieces checked with { $pieces }
add-not-checked = not checked: the source gives no hash
add-mirror-count = { $count ->
    [one] 1 mirror
   *[other] { $count } mirrors
}
add-mirrors-in = { $count } mirrors in { $places }
add-no-mirror = '{ $name }' has no http or https mirror
add-nothing-chosen = Choose at least one file.
add-free-space = { $needed } needed, { $free } free
add-no-room = Not enough space here: { $needed } needed, { $free } free

## Details
details-back = ← Queue
details-summary = { $done } of { $size } · { $state }
details-source = From { $source }
details-folder = Into { $folder }
details-verified = Verified with { $hash }; { $repaired } bad pieces were fetched again
details-unverified = Not verified: the source gives no hash
details-will-verify = Will be verified with { $hash }
details-no-hash = The source gives no hash: the file cannot be verified
details-pieces = Pieces
details-mirrors = Mirrors
details-mirror-count = { $count } mirrors
details-trouble = Recent mirror problems
details-repair = Piece { $piece }: bad from { $bad }, fixed by { $good }
details-not-yet = not yet
piece-missing = missing
piece-in-flight = downloading
piece-verified = verified
piece-repaired = repaired

## Mirror table
mirror-origin = Mirror
mirror-location = Where
mirror-priority = Priority
mirror-connections = Conn.
mirror-speed = Speed
mirror-bytes = Received
mirror-errors = Errors / bad
mirror-status = Status
mirror-active = in use
mirror-idle = idle
mirror-dropped = dropped: { $reason }

## Settings
settings-title = Settings
settings-folder = Download folder
settings-active = Downloads at once
settings-connections = Connections per download
settings-rate = Speed limit (all downloads)
settings-rate-hint = none, or e.g. 500K, 2M
settings-languages = Preferred languages
settings-os = Operating system
settings-locations = Preferred mirror countries
settings-system-default = the system's
settings-start-without-asking = Start downloads without asking
settings-notifications = Notify when downloads end
settings-theme = Theme
settings-ui-language = Language
settings-handler = Opening metalinks
settings-register = Make Braid the default
register-done = Registered: { $what }
register-failed = Braid could not be registered: { $reason }
settings-save = Save
settings-cancel = Cancel
settings-error-active = Downloads at once: '{ $value }' is not a number from { $min } to { $max }
settings-error-connections = Connections: '{ $value }' is not a number from { $min } to { $max }
settings-error-rate = Speed limit: { $reason }
theme-system = Like the system
theme-light = Light
theme-dark = Dark
language-system = Like the system

## Errors and notifications
error-not-metalink = { $file } is not a metalink: Braid opens .meta4 and .metalink files
error-no-such-file = { $source }: no such file
error-not-a-source = { $source } is neither a file nor an http(s) link
error-no-file-dialog = No file dialog is available here (the desktop portal is not running). Drop files on the window or paste their paths with Ctrl+V.
error-paste-empty = The clipboard holds no links or file paths.
error-settings-save = The settings could not be saved: { $reason }
notify-finished = { $name } is downloaded
notify-failed = { $name } failed
