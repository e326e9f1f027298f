# Braid's interface text (English, the source). Every key here must exist in every
# other language file; `cargo test` checks it.

## Toolbar and notices
toolbar-open = Open…
toolbar-paste = Paste links
toolbar-settings = Settings
notice-dismiss = Dismiss
drop-here = Drop links or metalink files to add them
drop-add = Drop to add { $what }
drop-download = Drop to download { $what }
drop-links = { $count ->
    [one] 1 link
   *[other] { $count } links
}
drop-metalinks = { $count ->
    [one] 1 metalink
   *[other] { $count } metalinks
}
drop-and = { $first } and { $second }
drop-nothing = Nothing here can be added
drop-more-refused = and { $count } more not added
refused-scheme = { $link } is not an http(s) or ftp(s) link
refused-text = “{ $text }” is not a link
closing = Pausing and saving every download…
open-title = Open metalinks
open-filter = Metalink files

## Queue
queue-empty-title = No downloads yet
queue-empty-help = Open a metalink with Ctrl+O, drop links or .meta4 and .metalink files here, or paste links with Ctrl+V.
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
state-verified-short = Done, verified
state-done-short = Done, not verified
state-signed-short = Done, signed
state-signature-unchecked-short = Done, signature not checked
state-signature-bad-short = Done, signature BAD
state-checking = Checking { $file }: { $percent } %, { $found } reusable so far

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
action-repair = Check and repair
action-repair-existing = Repair the file there
action-replace-existing = Replace the file there

## Add dialog
add-title = Add download
add-destination = Save to
add-choose-folder = Choose…
add-start = Download now
add-queue = Add paused
add-cancel = Cancel
add-more-waiting = { $count ->
    [one] One more waits for this dialog.
   *[other] { $count } more wait for this dialog.
}
add-start-all = Download all { $count }
add-checked-with = checked with { $hash }
add-hash-and-pieces = checked with { $hash }, pieces with { $pieces }
add-pieces-only = pieces checked with { $pieces }
add-not-checked = not checked: the source gives no hash
add-mirror-count = { $count ->
    [one] 1 mirror
   *[other] { $count } mirrors
}
add-mirrors-in = { $count } mirrors in { $places }
add-no-mirror = '{ $name }' has no HTTP, HTTPS, FTP or FTPS mirror
add-nothing-chosen = Choose at least one file.
add-free-space = { $needed } needed, { $free } free
add-no-room = Not enough space here: { $needed } needed, { $free } free
add-chosen = { $chosen } of { $count } files chosen, { $size }
add-select-all = Select all
add-select-none = Select none
add-twin-queued = { $name } is already in the queue
add-twin-done = { $name } is already downloaded
add-twin-queued-tag = in the queue
add-twin-done-tag = downloaded already

## Details
details-back = Queue
details-summary = { $done } of { $size } · { $state }
details-source = From { $source }
details-folder = Into { $folder }
details-verified = Verified with { $hash }{ $repaired ->
    [0] {""}
    [one] ; 1 bad piece was fetched again
   *[other] ; { $repaired } bad pieces were fetched again
}
details-unverified = Not verified: the source gives no hash
details-will-verify = Will be verified with { $hash }
details-no-hash = The source gives no hash: the file cannot be verified
details-pieces = Pieces
details-mirrors = Mirrors
details-trouble = Recent mirror problems
details-repair = Piece { $piece }: bad from { $bad }, fixed by { $good }
details-not-yet = not yet
piece-missing = missing
piece-in-flight = downloading
piece-verified = verified
piece-repaired = repaired
details-no-piece-hashes = No piece hashes: pieces are only received as they come; the file is checked as a whole when it is complete.
details-reused = { $reused } of { $size } reused from the file on disk; { $fetched ->
    [one] 1 piece fetched
   *[other] { $fetched } pieces fetched
} ({ $fetched_bytes })
reuse-repair = Repair the { $name } already in this folder
reuse-replace = Replace the { $name } already in this folder
reuse-update = Update from an older copy: { $path }
reuse-choose = Other file…
reuse-choose-file = Reuse a file on disk…
reuse-hint-zsync = A zsync file describes it: blocks of the file on disk are found wherever they moved, only the rest is fetched.
reuse-hint-repair = Its pieces that check out are kept, the bad ones fetched; it is replaced once the result is verified.
reuse-hint-replace = It cannot be checked piece by piece: it is downloaded again and replaced once verified.
reuse-hint-pieces = Pieces that are unchanged where they were are kept; the rest is fetched.
reuse-hint-unusable = Neither piece hashes nor a zsync file: an older copy cannot be checked.
piece-received = received

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
settings-errors = { $count ->
    [one] One field needs a fix
   *[other] { $count } fields need a fix
}
theme-system = Like the system
theme-light = Light
theme-dark = Dark
language-system = Like the system

## Errors and notifications
error-not-metalink = { $file } is not a metalink: Braid opens .meta4 and .metalink files
error-no-such-file = { $source }: no such file
error-not-a-source = { $source } is neither a file nor an http(s) or ftp(s) link
error-no-file-dialog = No file dialog is available here (the desktop portal is not running). Drop files on the window or paste their paths with Ctrl+V.
error-paste-empty = The clipboard holds no links or file paths.
error-settings-save = The settings could not be saved: { $reason }
notify-finished = { $name } is downloaded
notify-failed = { $name } failed

## Units and dates
duration-seconds = { $s } s
duration-minutes = { $m } min { $s } s
duration-hours = { $h } h { $m } min
month = { $n ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
date-this-year = { $month } { $day }, { $time }
date-other-year = { $month } { $day }, { $year }

## Queue table and status bar
column-name = Name
column-size = Size
column-progress = Progress
column-speed = Speed
column-time-left = Time left
column-mirrors = Mirrors
column-added = Added
queue-removed = removed
queue-deleted = removed, its file deleted
action-undo = Undo
status-running = { $count } downloading
status-waiting = { $count } waiting
status-paused = { $count } paused
status-done = { $count } done
status-failed = { $count } failed
status-free = { $free } free
notices-more = { $count } more
notices-dismiss-all = Dismiss all
notice-add = Add
clipboard-offer = Copied: { $link }
clipboard-offer-many = { $count } download links copied
error-delete = { $file } could not be deleted: { $reason }
error-open-missing = { $file } is no longer there
error-open-no-handler = No program is set up to open { $file }
error-open-failed = { $file } could not be opened: { $reason }

## Why things went wrong (the engine's, the probe's and the reader's reasons)
reason-file-exists = { $path } already exists; remove it or choose another folder
reason-unsafe-name = the file name '{ $name }' is unsafe: { $reason }
reason-no-mirrors = no usable mirror left: { $mirrors }
reason-hash-mismatch = the downloaded file does not match its { $hash } hash; it was discarded
reason-internal = internal error: { $detail }
reason-disk-io = { $path }: { $detail }
reason-disk-symlink = { $path } is a symbolic link; Braid does not write through it
reason-disk-not-directory = { $path } exists and is not a folder
reason-disk-locked = another Braid is downloading { $path }
reason-disk-no-space = not enough space in { $dir }: { $needed } more needed, { $free } free
reason-io-not-found = not found
reason-io-permission = permission denied
reason-io-full = the disk is full
reason-io-read-only = the file system is read-only
reason-missing = HTTP { $status }: not on this mirror
reason-link-missing = HTTP { $status }: nothing is at this address
reason-status = HTTP { $status }
reason-content-encoding = the server compresses the file ({ $coding }), so its bytes are not the file's
reason-wrong-range = the server sent other bytes than those asked for
reason-no-content-range = the server's partial answer says nothing of which bytes it holds
reason-wrong-size = the file is { $served } here, { $expected } expected
reason-changed = the file changed on this mirror since the download began
reason-bad-piece = piece { $piece } failed its hash check
reason-net-connect = could not connect
reason-net-timeout = timed out
reason-net-closed-early = the connection closed early
reason-net-stalled = stalled: nothing received for { $seconds } s
reason-net-other = network error
reason-net-too-slow = too slow ({ $speed }): its work went to faster mirrors
reason-tls-unknown-issuer = certificate not trusted: unknown issuer
reason-tls-other-host = the certificate is for another host than { $host }
reason-tls-expired = certificate expired
reason-tls-not-yet-valid = certificate not valid yet
reason-tls-revoked = certificate revoked
reason-tls-certificate = certificate not trusted
reason-tls-handshake = the secure connection failed
reason-ftp-missing = FTP { $code }: not on this mirror ({ $text })
reason-ftp-refused = the FTP server refused { $command } ({ $code } { $text })
reason-ftp-full = the FTP server takes no more connections ({ $code } { $text })
reason-ftp-login = the FTP login was refused: wrong user name or password? ({ $code } { $text })
reason-ftp-no-tls = the FTP server offers no TLS (AUTH TLS): { $text }
reason-ftp-data-connection = the FTP data connection to port { $port } failed: { $why }
reason-ftp-protocol = the FTP server's answer makes no sense: { $detail }
reason-failures = { $count } failures in a row, the last: { $last }
reason-bad-pieces = { $count } pieces failed their hash check
reason-nothing-usable = nothing usable for the pieces still missing
reason-changed-restarting = the file changed on the server since the download began; starting over
reason-state-not-saved = the resume state could not be saved: { $reason }
reason-not-a-rate = '{ $value }' is not a speed (e.g. 500K, 2M, 1G)
reason-no-location = { $url }: HTTP { $status } without a Location
reason-bad-redirect = { $url }: bad redirect to '{ $location }'
reason-unsupported-redirect = { $url }: redirected to an unsupported link: { $target }
reason-too-many-redirects = { $url }: too many redirects
reason-metalink-too-large = { $url }: the metalink is too large
note-unreadable-metalink = the metalink describing it could not be read ({ $reason }); the file is used as it is
name-empty = the name is empty
name-too-long = the name is too long
name-absolute = it is an absolute path
name-backslash = it contains a backslash
name-control = it contains a control character
name-forbidden = it contains '{ $char }', which file names may not contain
name-empty-component = it contains an empty path component
name-dot-component = it contains a '.' or '..' component
name-bad-start = the part '{ $part }' starts with '{ $char }'
name-bad-end = the part '{ $part }' ends with '{ $char }'
name-device = '{ $part }' is a reserved device name on Windows
name-component-too-long = the part '{ $part }' is too long
position = line { $line }, column { $column }
warning-at = { $at }: { $message }
parse-too-large = the document is { $size }; documents over { $limit } are refused
parse-not-utf8 = { $at }: the document is not valid UTF-8
parse-encoding = { $at }: the encoding '{ $encoding }' is not supported; metalinks are UTF-8
parse-xml = { $at }: not well-formed XML ({ $detail })
xml-control-character = the control character { $name } is not allowed in XML
xml-mismatched-end = <{ $expected }> is closed by </{ $found }>
xml-unmatched-end = </{ $name }> closes no open element
xml-ends-before-closed = the document ends before <{ $name }> is closed
xml-ends-inside-element = the document ends inside an element
xml-no-root = the document has no root element
xml-second-root = a second root element after the first
xml-cdata-outside-root = CDATA outside the root element
xml-text-before-root = text before the root element
xml-text-after-root = text after the root element
xml-character-reference = &{ $name }; is not a valid character
xml-undefined-entity = &{ $name }; is not a known entity
xml-unclosed-tag = a tag that does not end
xml-unclosed-comment = a comment that does not end
xml-unclosed-cdata = a CDATA section that does not end
xml-unclosed-doctype = a document type declaration that does not end
xml-unclosed-processing-instruction = a processing instruction that does not end
xml-unclosed-attribute-value = a quoted attribute value that does not end
xml-attribute-no-equals = an attribute without “=”
xml-attribute-no-value = an attribute without a value
xml-attribute-unquoted = an attribute value without quotes
xml-attribute-duplicated = an attribute given twice
parse-doctype = { $at }: document type declarations (DTDs) are not allowed in metalinks
parse-limit = { $at }: the document has more than { $limit } { $what }
parse-not-metalink = { $at }: not a metalink (the root element is { $found })
parse-no-usable-file = no usable file in the document
parse-no-usable-file-because = no usable file in the document ({ $reason }{ $more ->
    [0] {""}
   *[other] ; and { $more } more
})
select-english-instead = No file is in { $wanted }; the English ones are selected.
select-all-languages = No file is in { $wanted } or English; all languages are selected.
select-no-os = No file is for { $os } (the document offers { $offered }); choose the files yourself.
error-read-file = { $file } could not be read: { $reason }
error-metalink-too-large = { $file } is larger than { $limit }; it is not read
select-your-language = your language

## Scheduling, limits, queue order, tray (issue 14)
state-waiting = Starts { $time }
## Plain links: where checksums and mirrors come from; creating metalinks
toolbar-create = Create metalink…
create-title = Create metalink
create-help = Describe files you publish: Braid writes a Metalink 4 document with their sizes, hashes, pieces and mirrors, and checks it reads back.
create-files = Files
create-add-files = Add files…
create-pick-title = Files to describe
create-no-files-yet = No files yet.
create-mirrors = Mirrors (each file is at MIRROR/name)
create-mirror-hint = https://mirror.example.org/pub,location=de,priority=1
create-add-mirror = Add mirror
create-priority = priority { $priority }
create-pieces = Pieces
create-pieces-automatic = Automatic
create-pieces-none = None
create-hashes = Hashes
create-languages = Languages
create-os = Operating systems
create-save = Save metalink…
create-save-title = Save the metalink
create-hashing = Hashing { $done } of { $total }…
create-stop = Stop
create-stopped = Stopped.
create-no-files = Add at least one file.
create-no-mirrors = Add at least one mirror.
create-bad-mirror = Not a mirror: { $reason }
create-out-is-input = The metalink cannot be saved over one of its files.
create-written = Metalink written: { $file }
checksum-from-metalink = { $hash } from the metalink
checksum-from-user = { $hash } you gave
checksum-from-header = { $hash } from the server's Digest header
checksum-from-file = { $hash } from { $place }
checksum-from-signed-file = { $hash } from { $place } (clearsigned; the signature is not checked yet)
checksum-from-service = { $hash } from metalink service { $place }
found-checked = Checked with { $how }
found-not-checked = Not checked: no checksum was found for it
mirrors-from-given = the link itself
mirrors-from-user = you
mirrors-from-link-header = the server's Link headers
mirrors-from-file = { $place }
mirrors-from-service = metalink service { $place }
mirrors-from-memory = Braid's memory
mirrors-part = { $count } from { $from }
found-mirrors = { $count ->
    [one] 1 more mirror
   *[other] { $count } more mirrors
}: { $parts }
found-unchecked = { $count } mirror(s) from { $from } not used: no checksum to check them against
found-header-disagrees = Your { $hash } checksum differs from the server's Digest header; yours is used.
found-conflict = The published checksums disagree ({ $detail }). Enter the right one as the expected hash.
add-expected-hash = Expected hash
add-expected-hint = sha-256:… or the hex digest from the download page
add-expected-bad = Not a hash: { $reason }
add-looking = Looking for checksums and mirrors…
create-remove = Remove
create-languages-hint = de, en (or FILE=de)
create-os-hint = linux-x86_64 (or FILE=os)
settings-checksum-search = Look for published checksums
settings-checksum-search-hint = For plain links: SHA256SUMS, FILE.sha256 and the like next to the file, in a few small requests.
settings-watch-clipboard = Offer copied download links
settings-watch-clipboard-hint = A link you copy that ends in .meta4 or .metalink, or names a download (.iso, .zip, …), is offered with "Add"; nothing is added unless you say so.
settings-services = Metalink services
settings-services-none = none
settings-services-hint = Asked for more mirrors of plain links, the Dynmirror way; their mirrors are used only with a checksum to check them.
settings-error-service = Metalink services: '{ $value }' is not an http or https address
details-checksum-origin = Checksum: { $how }
details-mirror-from = { $mirror } (from { $from })
found-disagree = { $first } says { $hash } { $one }, { $second } says { $other }
found-listed-twice = { $file } lists { $name } twice with different { $hash } digests, on lines { $first } and { $second }
found-place-user = your checksum
found-place-header = the server's Digest header
found-place-metalink = the metalink


## Signatures (the same words in braid get, braid inspect, the add dialog and details)
signature-good = signature good, by { $signer } ({ $fingerprint })
signature-good-over = signature good (over { $file }), by { $signer } ({ $fingerprint })
signature-bad = signature BAD: the file is not what { $signer } ({ $fingerprint }) signed
signature-bad-over = signature BAD: { $file } is not what { $signer } ({ $fingerprint }) signed
signature-unknown-key = signature not checked: key { $fingerprint } is not in your keyring
signature-not-checked = signature not checked: { $why }
signature-why-unreadable = it cannot be read ({ $detail })
signature-why-not-over-data = it is a key signature, not one over data
signature-why-md5 = it uses MD5, which no longer proves anything
signature-why-unsupported = it uses what Braid cannot check ({ $detail })
signature-why-other-hash = { $file } does not list the digest the file was checked with
signature-pending = signed by { $signer } ({ $fingerprint }); checked once the file is in
signature-none = no signature
signature-unnamed = a key without a name
signature-expired = warning: key { $fingerprint } expired on { $date }, before it made this signature
signature-expired-after = warning: key { $fingerprint } expired on { $date }, after it made this signature
signature-revoked = warning: key { $fingerprint } was revoked on { $date }
signature-revoked-reason = warning: key { $fingerprint } was revoked on { $date } ({ $reason })
signature-not-for-signing = warning: key { $fingerprint } is not valid for signing
signature-sig-expired = warning: the signature expired on { $date }
signature-weak-hash = warning: the signature uses { $algorithm }, which can be forged
signature-required = a good signature is required: { $outcome }
signature-required-none = a good signature is required, and the source has none
signature-import-key = Import key…

## Keys (Settings, Import key…)
settings-keys = OpenPGP keys
settings-keys-hint = Signatures are checked against these keys, and the ones below if switched on
settings-keys-none = No keys in Braid's keyring yet
settings-keys-import-file = Import key file…
settings-keys-url = Key URL (https://…)
settings-keys-import-url = Import
settings-keys-gnupg = Trust my GnuPG keys
settings-keys-gnupg-count = { $count } public keys, read-only
settings-keys-gnupg-missing = GnuPG is not installed
settings-keys-system = Trust the system's keyrings
settings-keys-system-count = { $count } keys in /usr/share/keyrings and the like, read-only
settings-require-signature = Require a good signature
settings-require-signature-hint = New downloads fail unless a trusted key signed them; the data is kept until the key is imported
keys-loading = Reading the keys…
keys-remove = Remove
keys-imported = Imported { $key }
keys-updated = Updated { $key }
keys-unchanged = { $key } was already there
keys-removed = Removed { $key }
keys-failed = The key could not be imported: { $reason }
keys-not-a-url = { $url } is not an http or https URL
keys-pick-title = Import an OpenPGP key
keys-file-filter = OpenPGP keys
keys-tag-revoked = revoked
keys-tag-expired = expired { $date }
keys-tag-expires = expires { $date }
keys-tag-cannot-sign = cannot sign
add-require-signature = Require a good signature
details-signature = Signature
details-signature-later = Its OpenPGP signature is checked once the file is in
signature-recheck-failed = The signature of { $name } could not be checked: { $reason }

## Tray, per-download limits, schedule, categories (issue 14)
tray-show = Show Braid
tray-hide = Hide Braid
tray-quit-when-done = Quit when the queue is done
tray-quit = Quit Braid
tray-idle = Nothing is downloading
tray-running = { $count ->
    [one] 1 download running
   *[other] { $count } downloads running
} · { $speed }
tray-kept = Braid keeps downloading in the tray; choose Quit there to stop it.
priority-high = High
priority-normal = Normal
priority-low = Low
limit-title = This download
limit-rate = Speed limit
limit-rate-hint = none (e.g. 200K)
limit-connections = Connections
limit-connections-hint = as in Settings
limit-priority = Priority
limit-start = Start at
limit-start-hint = e.g. 23:00
limit-apply = Apply
limit-start-now = Start when its turn comes
limit-not-a-rate = '{ $text }' is not a speed such as 200K or 2M
limit-not-connections = '{ $text }' is not a number of connections from 1 to 64
limit-not-a-time = '{ $text }' is not a time such as 23:00
schedule-title = Running in the background and on a schedule
settings-close-to-tray = Closing the window keeps Braid in the tray
settings-close-to-tray-note = A tray shows Braid now.
settings-close-to-tray-none = No tray shows Braid now: closing the window quits.
settings-when-done = When the queue is done
when-done-nothing = Do nothing
when-done-quit = Quit Braid
schedule-help = Time windows, first match wins: days (mon-fri, sat,sun, all), from, to, and the speed then: full, stop, or a limit such as 500K.
schedule-add = Add a time window
schedule-remove = Remove
schedule-otherwise = Otherwise:
schedule-error = Time window { $row }: { $reason }
schedule-error-otherwise = Outside the time windows: { $reason }
schedule-now-limited = Schedule: { $speed } until { $until }
schedule-now-stopped = Schedule: downloads wait until { $until }
schedule-now-limited-always = Schedule: { $speed }
schedule-now-stopped-always = Schedule: downloads wait
weekday-mon = Mon
weekday-tue = Tue
weekday-wed = Wed
weekday-thu = Thu
weekday-fri = Fri
weekday-sat = Sat
weekday-sun = Sun
categories-title = Folders per category
categories-main-folder = the download folder
category-image = Disk images
category-archive = Archives
category-package = Packages
category-document = Documents
category-other = Other
filter-all = All
filter-active = Active
filter-queued = Queued
filter-paused = Paused
filter-done = Done
filter-failed = Failed
filter-with-count = { $filter } { $count }
filter-all-kinds = All categories
queue-search-hint = Search names (Ctrl+F)
queue-search-hint-short = Search (Ctrl+F)
queue-search-hint-tiny = Search
queue-search-clear = Clear the search
queue-nothing-matches = No download matches.
queue-show-all = Show all
queue-clear-completed = Clear completed
queue-pause-shown = Pause shown
queue-resume-shown = Resume shown
add-category = Category
add-start-hint = when its turn comes
