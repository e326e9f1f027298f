# Braids Oberfläche auf Deutsch. Schlüssel wie in en.ftl.

## Toolbar and notices
toolbar-open = Öffnen…
toolbar-paste = Links einfügen
toolbar-settings = Einstellungen
notice-dismiss = Schließen
drop-here = Links oder Metalink-Dateien hier ablegen, um sie hinzuzufügen
drop-add = Ablegen, um { $what } hinzuzufügen
drop-download = Ablegen, um { $what } herunterzuladen
drop-links = { $count ->
    [one] 1 Link
   *[other] { $count } Links
}
drop-metalinks = { $count ->
    [one] 1 Metalink
   *[other] { $count } Metalinks
}
drop-and = { $first } und { $second }
drop-nothing = Hier ist nichts, was Braid hinzufügen kann
drop-more-refused = und { $count } weitere werden nicht hinzugefügt
refused-scheme = { $link } ist kein http(s)- oder ftp(s)-Link
refused-text = „{ $text }“ ist kein Link
closing = Alle Downloads werden angehalten und gesichert…
open-title = Metalinks öffnen
open-filter = Metalink-Dateien

## Queue
queue-empty-title = Noch keine Downloads
queue-empty-help = Öffnen Sie einen Metalink mit Strg+O, legen Sie Links oder .meta4- und .metalink-Dateien hier ab oder fügen Sie Links mit Strg+V ein.
queue-select-all = Alle auswählen
queue-pause-selected = Auswahl anhalten
queue-resume-selected = Auswahl fortsetzen
queue-pause-all = Alle anhalten
queue-resume-all = Alle fortsetzen
queue-remove-selected = Auswahl entfernen
queue-count = { $count ->
    [one] 1 Download
   *[other] { $count } Downloads
}
queue-eta = noch { $time }
queue-mirrors = { $active } von { $all } Spiegeln in Gebrauch
size-unknown = Größe unbekannt

## States
state-queued = Wartet
state-running = Lädt
state-paused = Angehalten
state-verified = Fertig, geprüft mit { $hash }
state-finished-unverified = Fertig, nicht geprüft (keine Prüfsumme)
state-failed = Fehlgeschlagen
state-verified-short = Fertig, geprüft
state-done-short = Fertig, ungeprüft
state-signed-short = Fertig, signiert
state-signature-unchecked-short = Fertig, Signatur ungeprüft
state-signature-bad-short = Fertig, Signatur UNGÜLTIG
state-checking = Prüfe { $file }: { $percent } %, bisher { $found } wiederverwendbar

## Actions
action-pause = Anhalten
action-resume = Fortsetzen
action-retry = Erneut
action-cancel = Abbrechen
action-remove = Entfernen
action-delete = Datei löschen
action-open-file = Öffnen
action-open-folder = Ordner
action-details = Details
action-repair = Prüfen und reparieren
action-repair-existing = Die vorhandene Datei reparieren
action-replace-existing = Die vorhandene Datei ersetzen

## Add dialog
add-title = Download hinzufügen
add-destination = Speichern in
add-choose-folder = Wählen…
add-start = Jetzt laden
add-queue = Angehalten hinzufügen
add-cancel = Abbrechen
add-more-waiting = { $count ->
    [one] Ein weiterer Download wartet auf diesen Dialog.
   *[other] { $count } weitere Downloads warten auf diesen Dialog.
}
add-start-all = Alle { $count } laden
add-checked-with = geprüft mit { $hash }
add-hash-and-pieces = geprüft mit { $hash }, Stücke mit { $pieces }
add-pieces-only = Stücke geprüft mit { $pieces }
add-not-checked = nicht geprüft: die Quelle nennt keine Prüfsumme
add-mirror-count = { $count ->
    [one] 1 Spiegel
   *[other] { $count } Spiegel
}
add-mirrors-in = { $count } Spiegel in { $places }
add-no-mirror = „{ $name }“ hat keinen HTTP-, HTTPS-, FTP- oder FTPS-Spiegel
add-nothing-chosen = Wählen Sie mindestens eine Datei.
add-free-space = { $needed } benötigt, { $free } frei
add-no-room = Nicht genug Platz hier: { $needed } benötigt, { $free } frei
add-chosen = { $chosen } von { $count } Dateien gewählt, { $size }
add-select-all = Alle wählen
add-select-none = Keine wählen
add-twin-queued = { $name } ist schon in der Liste
add-twin-done = { $name } ist schon heruntergeladen
add-twin-queued-tag = schon in der Liste
add-twin-done-tag = schon heruntergeladen

## Details
details-back = Liste
details-summary = { $done } von { $size } · { $state }
details-source = Aus { $source }
details-folder = Nach { $folder }
details-verified = Geprüft mit { $hash }{ $repaired ->
    [0] {""}
    [one] ; 1 fehlerhaftes Stück wurde neu geladen
   *[other] ; { $repaired } fehlerhafte Stücke wurden neu geladen
}
details-unverified = Nicht geprüft: die Quelle nennt keine Prüfsumme
details-will-verify = Wird mit { $hash } geprüft
details-no-hash = Die Quelle nennt keine Prüfsumme: die Datei kann nicht geprüft werden
details-pieces = Stücke
details-mirrors = Spiegel
details-trouble = Letzte Probleme der Spiegel
details-repair = Stück { $piece }: fehlerhaft von { $bad }, repariert durch { $good }
details-not-yet = noch nicht
piece-missing = fehlt
piece-in-flight = lädt
piece-verified = geprüft
piece-repaired = repariert
details-no-piece-hashes = Keine Stück-Prüfsummen: Stücke werden nur empfangen; die Datei wird als Ganzes geprüft, wenn sie vollständig ist.
details-reused = { $reused } von { $size } aus der Datei auf der Platte übernommen; { $fetched ->
    [one] 1 Stück geladen
   *[other] { $fetched } Stücke geladen
} ({ $fetched_bytes })
reuse-repair = Das vorhandene { $name } in diesem Ordner reparieren
reuse-replace = Das vorhandene { $name } in diesem Ordner ersetzen
reuse-update = Aus einer älteren Kopie aktualisieren: { $path }
reuse-choose = Andere Datei…
reuse-choose-file = Eine Datei auf der Platte wiederverwenden…
reuse-hint-zsync = Eine zsync-Datei beschreibt sie: Blöcke der Datei auf der Platte werden gefunden, wohin sie auch gerückt sind; nur der Rest wird geladen.
reuse-hint-repair = Ihre fehlerfreien Stücke bleiben, die schlechten werden geladen; ersetzt wird sie erst, wenn das Ergebnis geprüft ist.
reuse-hint-replace = Sie lässt sich nicht stückweise prüfen: sie wird neu geladen und nach der Prüfung ersetzt.
reuse-hint-pieces = Stücke, die an ihrer Stelle unverändert sind, bleiben; der Rest wird geladen.
reuse-hint-unusable = Weder Stück-Prüfsummen noch eine zsync-Datei: eine ältere Kopie lässt sich nicht prüfen.
piece-received = empfangen

## Mirror table
mirror-origin = Spiegel
mirror-location = Wo
mirror-priority = Priorität
mirror-connections = Verb.
mirror-speed = Tempo
mirror-bytes = Empfangen
mirror-errors = Fehler / defekt
mirror-status = Zustand
mirror-active = in Gebrauch
mirror-idle = untätig
mirror-dropped = aufgegeben: { $reason }

## Settings
settings-title = Einstellungen
settings-folder = Download-Ordner
settings-active = Gleichzeitige Downloads
settings-connections = Verbindungen je Download
settings-rate = Tempolimit (alle Downloads)
settings-rate-hint = keines, oder z. B. 500K, 2M
settings-languages = Bevorzugte Sprachen
settings-os = Betriebssystem
settings-locations = Bevorzugte Länder der Spiegel
settings-system-default = wie das System
settings-start-without-asking = Downloads ohne Nachfrage starten
settings-notifications = Benachrichtigen, wenn Downloads enden
settings-theme = Erscheinungsbild
settings-ui-language = Sprache
settings-handler = Metalinks öffnen
settings-register = Braid zum Standard machen
register-done = Eingetragen: { $what }
register-failed = Braid konnte nicht eingetragen werden: { $reason }
settings-save = Sichern
settings-cancel = Abbrechen
settings-error-active = Gleichzeitige Downloads: „{ $value }“ ist keine Zahl von { $min } bis { $max }
settings-error-connections = Verbindungen: „{ $value }“ ist keine Zahl von { $min } bis { $max }
settings-error-rate = Tempolimit: { $reason }
settings-errors = { $count ->
    [one] Ein Feld ist zu korrigieren
   *[other] { $count } Felder sind zu korrigieren
}
theme-system = Wie das System
theme-light = Hell
theme-dark = Dunkel
language-system = Wie das System

## Errors and notifications
error-not-metalink = { $file } ist kein Metalink: Braid öffnet .meta4- und .metalink-Dateien
error-no-such-file = { $source }: Datei nicht gefunden
error-not-a-source = { $source } ist weder eine Datei noch ein http(s)- oder ftp(s)-Link
error-no-file-dialog = Hier ist kein Dateidialog verfügbar (das Desktop-Portal läuft nicht). Legen Sie Dateien auf dem Fenster ab oder fügen Sie ihre Pfade mit Strg+V ein.
error-paste-empty = Die Zwischenablage enthält keine Links oder Dateipfade.
error-settings-save = Die Einstellungen konnten nicht gesichert werden: { $reason }
notify-finished = { $name } ist geladen
notify-failed = { $name } ist fehlgeschlagen

## Units and dates
duration-seconds = { $s } s
duration-minutes = { $m } Min. { $s } s
duration-hours = { $h } Std. { $m } Min.
month = { $n ->
    [1] Jan.
    [2] Feb.
    [3] März
    [4] Apr.
    [5] Mai
    [6] Juni
    [7] Juli
    [8] Aug.
    [9] Sept.
    [10] Okt.
    [11] Nov.
   *[12] Dez.
}
date-this-year = { $day }. { $month }, { $time }
date-other-year = { $day }. { $month } { $year }

## Queue table and status bar
column-name = Name
column-size = Größe
column-progress = Fortschritt
column-speed = Tempo
column-time-left = Restzeit
column-mirrors = Spiegel
column-added = Hinzugefügt
queue-removed = entfernt
queue-deleted = entfernt, die Datei gelöscht
action-undo = Rückgängig
status-running = { $count ->
    [one] 1 lädt
   *[other] { $count } laden
}
status-waiting = { $count ->
    [one] 1 wartet
   *[other] { $count } warten
}
status-paused = { $count } angehalten
status-done = { $count } fertig
status-failed = { $count } fehlgeschlagen
status-free = { $free } frei
notices-more = { $count } weitere
notices-dismiss-all = Alle schließen
notice-add = Hinzufügen
clipboard-offer = Kopiert: { $link }
clipboard-offer-many = { $count } Download-Links kopiert
error-delete = { $file } konnte nicht gelöscht werden: { $reason }
error-open-missing = { $file } ist nicht mehr da
error-open-no-handler = Kein Programm ist zum Öffnen von { $file } eingerichtet
error-open-failed = { $file } konnte nicht geöffnet werden: { $reason }

## Why things went wrong (the engine's, the probe's and the reader's reasons)
reason-file-exists = { $path } gibt es schon; entfernen Sie es oder wählen Sie einen anderen Ordner
reason-unsafe-name = der Dateiname '{ $name }' ist unsicher: { $reason }
reason-no-mirrors = kein brauchbarer Spiegel mehr: { $mirrors }
reason-hash-mismatch = die geladene Datei passt nicht zu ihrer { $hash }-Prüfsumme; sie wurde verworfen
reason-internal = interner Fehler: { $detail }
reason-disk-io = { $path }: { $detail }
reason-disk-symlink = { $path } ist ein symbolischer Link; Braid schreibt nicht hindurch
reason-disk-not-directory = { $path } gibt es, aber es ist kein Ordner
reason-disk-locked = ein anderes Braid lädt { $path } gerade
reason-disk-no-space = nicht genug Platz in { $dir }: { $needed } mehr nötig, { $free } frei
reason-io-not-found = nicht gefunden
reason-io-permission = keine Berechtigung
reason-io-full = die Platte ist voll
reason-io-read-only = das Dateisystem ist schreibgeschützt
reason-missing = HTTP { $status }: nicht auf diesem Spiegel
reason-link-missing = HTTP { $status }: unter dieser Adresse ist nichts
reason-status = HTTP { $status }
reason-content-encoding = der Server komprimiert die Datei ({ $coding }), ihre Bytes sind also nicht die der Datei
reason-wrong-range = der Server schickte andere Bytes als erbeten
reason-no-content-range = die Teilantwort des Servers sagt nicht, welche Bytes sie enthält
reason-wrong-size = die Datei ist hier { $served } groß, erwartet: { $expected }
reason-changed = die Datei hat sich auf diesem Spiegel seit Beginn des Downloads geändert
reason-bad-piece = Stück { $piece } hat die Prüfung nicht bestanden
reason-net-connect = keine Verbindung möglich
reason-net-timeout = Zeitüberschreitung
reason-net-closed-early = die Verbindung brach vorzeitig ab
reason-net-stalled = hängt: seit { $seconds } s nichts empfangen
reason-net-other = Netzwerkfehler
reason-net-too-slow = zu langsam ({ $speed }): seine Arbeit ging an schnellere Spiegel
reason-tls-unknown-issuer = Zertifikat nicht vertrauenswürdig: unbekannter Aussteller
reason-tls-other-host = das Zertifikat gilt für einen anderen Rechner als { $host }
reason-tls-expired = Zertifikat abgelaufen
reason-tls-not-yet-valid = Zertifikat noch nicht gültig
reason-tls-revoked = Zertifikat widerrufen
reason-tls-certificate = Zertifikat nicht vertrauenswürdig
reason-tls-handshake = die sichere Verbindung ist fehlgeschlagen
reason-ftp-missing = FTP { $code }: nicht auf diesem Spiegel ({ $text })
reason-ftp-refused = der FTP-Server lehnte { $command } ab ({ $code } { $text })
reason-ftp-full = der FTP-Server nimmt keine weiteren Verbindungen an ({ $code } { $text })
reason-ftp-login = die FTP-Anmeldung wurde abgelehnt: falscher Benutzername oder falsches Passwort? ({ $code } { $text })
reason-ftp-no-tls = der FTP-Server bietet kein TLS an (AUTH TLS): { $text }
reason-ftp-data-connection = die FTP-Datenverbindung zu Port { $port } scheiterte: { $why }
reason-ftp-protocol = die Antwort des FTP-Servers ergibt keinen Sinn: { $detail }
reason-failures = { $count } Fehler nacheinander, zuletzt: { $last }
reason-bad-pieces = { $count } Stücke haben die Prüfung nicht bestanden
reason-nothing-usable = nichts Brauchbares für die noch fehlenden Stücke
reason-changed-restarting = die Datei hat sich auf dem Server seit Beginn geändert; der Download beginnt neu
reason-state-not-saved = der Fortsetzungsstand konnte nicht gesichert werden: { $reason }
reason-not-a-rate = „{ $value }“ ist kein Tempo (z. B. 500K, 2M, 1G)
reason-no-location = { $url }: HTTP { $status } ohne Location
reason-bad-redirect = { $url }: fehlerhafte Weiterleitung nach '{ $location }'
reason-unsupported-redirect = { $url }: Weiterleitung auf einen nicht unterstützten Link: { $target }
reason-too-many-redirects = { $url }: zu viele Weiterleitungen
reason-metalink-too-large = { $url }: der Metalink ist zu groß
note-unreadable-metalink = der beschreibende Metalink war nicht lesbar ({ $reason }); die Datei wird so verwendet
name-empty = der Name ist leer
name-too-long = der Name ist zu lang
name-absolute = es ist ein absoluter Pfad
name-backslash = er enthält einen Backslash
name-control = er enthält ein Steuerzeichen
name-forbidden = er enthält '{ $char }', das in Dateinamen nicht vorkommen darf
name-empty-component = er enthält einen leeren Pfadteil
name-dot-component = er enthält einen Teil '.' oder '..'
name-bad-start = der Teil '{ $part }' beginnt mit '{ $char }'
name-bad-end = der Teil '{ $part }' endet mit '{ $char }'
name-device = '{ $part }' ist unter Windows ein reservierter Gerätename
name-component-too-long = der Teil '{ $part }' ist zu lang
position = Zeile { $line }, Spalte { $column }
warning-at = { $at }: { $message }
parse-too-large = das Dokument ist { $size } groß; Dokumente über { $limit } werden abgelehnt
parse-not-utf8 = { $at }: das Dokument ist kein gültiges UTF-8
parse-encoding = { $at }: die Kodierung '{ $encoding }' wird nicht unterstützt; Metalinks sind UTF-8
parse-xml = { $at }: kein wohlgeformtes XML ({ $detail })
xml-control-character = das Steuerzeichen { $name } ist in XML nicht erlaubt
xml-mismatched-end = <{ $expected }> wird durch </{ $found }> geschlossen
xml-unmatched-end = </{ $name }> schließt kein offenes Element
xml-ends-before-closed = das Dokument endet, bevor <{ $name }> geschlossen ist
xml-ends-inside-element = das Dokument endet mitten in einem Element
xml-no-root = das Dokument hat kein Wurzelelement
xml-second-root = ein zweites Wurzelelement nach dem ersten
xml-cdata-outside-root = CDATA außerhalb des Wurzelelements
xml-text-before-root = Text vor dem Wurzelelement
xml-text-after-root = Text nach dem Wurzelelement
xml-character-reference = &{ $name }; ist kein gültiges Zeichen
xml-undefined-entity = &{ $name }; ist keine bekannte Entität
xml-unclosed-tag = ein Tag ohne Ende
xml-unclosed-comment = ein Kommentar ohne Ende
xml-unclosed-cdata = ein CDATA-Abschnitt ohne Ende
xml-unclosed-doctype = eine Dokumenttyp-Deklaration ohne Ende
xml-unclosed-processing-instruction = eine Verarbeitungsanweisung ohne Ende
xml-unclosed-attribute-value = ein Attributwert in Anführungszeichen ohne Ende
xml-attribute-no-equals = ein Attribut ohne „=“
xml-attribute-no-value = ein Attribut ohne Wert
xml-attribute-unquoted = ein Attributwert ohne Anführungszeichen
xml-attribute-duplicated = ein doppelt angegebenes Attribut
parse-doctype = { $at }: Dokumenttyp-Deklarationen (DTDs) sind in Metalinks nicht erlaubt
parse-limit = { $at }: das Dokument hat mehr als { $limit } { $what }
parse-not-metalink = { $at }: kein Metalink (das Wurzelelement ist { $found })
parse-no-usable-file = keine brauchbare Datei im Dokument
parse-no-usable-file-because = keine brauchbare Datei im Dokument ({ $reason }{ $more ->
    [0] {""}
   *[other] ; und { $more } weitere
})
select-english-instead = Keine Datei passt zu { $wanted }; die englischen sind gewählt.
select-all-languages = Keine Datei passt zu { $wanted } oder Englisch; alle Sprachen sind gewählt.
select-no-os = Keine Datei ist für { $os } (das Dokument bietet { $offered }); wählen Sie die Dateien selbst.
error-read-file = { $file } konnte nicht gelesen werden: { $reason }
error-metalink-too-large = { $file } ist größer als { $limit } und wird nicht gelesen
select-your-language = Ihrer Sprache

## Scheduling, limits, queue order, tray (issue 14)
state-waiting = Startet { $time }
## Plain links: where checksums and mirrors come from; creating metalinks
toolbar-create = Metalink erstellen…
create-title = Metalink erstellen
create-help = Beschreiben Sie Dateien, die Sie veröffentlichen: Braid schreibt ein Metalink-4-Dokument mit ihren Größen, Prüfsummen, Stücken und Spiegeln und prüft, dass es sich zurücklesen lässt.
create-files = Dateien
create-add-files = Dateien hinzufügen…
create-pick-title = Zu beschreibende Dateien
create-no-files-yet = Noch keine Dateien.
create-mirrors = Spiegel (jede Datei liegt unter SPIEGEL/Name)
create-mirror-hint = https://mirror.example.org/pub,location=de,priority=1
create-add-mirror = Spiegel hinzufügen
create-priority = Priorität { $priority }
create-pieces = Stücke
create-pieces-automatic = Automatisch
create-pieces-none = Keine
create-hashes = Prüfsummen
create-languages = Sprachen
create-os = Betriebssysteme
create-save = Metalink speichern…
create-save-title = Metalink speichern
create-hashing = Prüfsummen: { $done } von { $total }…
create-stop = Anhalten
create-stopped = Angehalten.
create-no-files = Fügen Sie mindestens eine Datei hinzu.
create-no-mirrors = Fügen Sie mindestens einen Spiegel hinzu.
create-bad-mirror = Kein Spiegel: { $reason }
create-out-is-input = Das Metalink kann nicht über eine seiner Dateien gespeichert werden.
create-written = Metalink geschrieben: { $file }
checksum-from-metalink = { $hash } aus dem Metalink
checksum-from-user = { $hash }, die Sie angegeben haben
checksum-from-header = { $hash } aus dem Digest-Header des Servers
checksum-from-file = { $hash } aus { $place }
checksum-from-signed-file = { $hash } aus { $place } (klarsigniert; die Signatur wird noch nicht geprüft)
checksum-from-service = { $hash } vom Metalink-Dienst { $place }
found-checked = Geprüft mit { $how }
found-not-checked = Nicht geprüft: Für die Datei wurde keine Prüfsumme gefunden
mirrors-from-given = dem Link selbst
mirrors-from-user = Ihrer Eingabe
mirrors-from-link-header = den Link-Headern des Servers
mirrors-from-file = { $place }
mirrors-from-service = dem Metalink-Dienst { $place }
mirrors-from-memory = Braids Gedächtnis
mirrors-part = { $count } aus { $from }
found-mirrors = { $count ->
    [one] 1 weiterer Spiegel
   *[other] { $count } weitere Spiegel
}: { $parts }
found-unchecked = { $count } Spiegel aus { $from } nicht genutzt: keine Prüfsumme, gegen die sie geprüft werden könnten
found-header-disagrees = Ihre { $hash }-Prüfsumme weicht vom Digest-Header des Servers ab; Ihre wird verwendet.
found-conflict = Die veröffentlichten Prüfsummen widersprechen sich ({ $detail }). Geben Sie die richtige als erwartete Prüfsumme ein.
add-expected-hash = Erwartete Prüfsumme
add-expected-hint = sha-256:… oder die Hex-Prüfsumme von der Download-Seite
add-expected-bad = Keine Prüfsumme: { $reason }
add-looking = Suche nach Prüfsummen und Spiegeln…
create-remove = Entfernen
create-languages-hint = de, en (oder DATEI=de)
create-os-hint = linux-x86_64 (oder DATEI=os)
settings-checksum-search = Nach veröffentlichten Prüfsummen suchen
settings-checksum-search-hint = Für einfache Links: SHA256SUMS, DATEI.sha256 und Ähnliches neben der Datei, mit wenigen kleinen Anfragen.
settings-watch-clipboard = Kopierte Download-Links anbieten
settings-watch-clipboard-hint = Ein kopierter Link, der auf .meta4 oder .metalink endet oder einen Download nennt (.iso, .zip, …), wird mit „Hinzufügen“ angeboten; hinzugefügt wird nur, was Sie bestätigen.
settings-services = Metalink-Dienste
settings-services-none = keine
settings-services-hint = Werden nach weiteren Spiegeln einfacher Links gefragt (wie Dynmirror); ihre Spiegel werden nur mit einer Prüfsumme genutzt, die sie prüfen kann.
settings-error-service = Metalink-Dienste: '{ $value }' ist keine http- oder https-Adresse
details-checksum-origin = Prüfsumme: { $how }
details-mirror-from = { $mirror } (aus { $from })
found-disagree = { $first } nennt { $hash } { $one }, { $second } nennt { $other }
found-listed-twice = { $file } führt { $name } zweimal mit verschiedenen { $hash }-Prüfsummen auf, in den Zeilen { $first } und { $second }
found-place-user = Ihre Prüfsumme
found-place-header = der Digest-Header des Servers
found-place-metalink = das Metalink


## Signaturen
signature-good = Signatur gültig, von { $signer } ({ $fingerprint })
signature-good-over = Signatur gültig (über { $file }), von { $signer } ({ $fingerprint })
signature-bad = Signatur UNGÜLTIG: Die Datei ist nicht, was { $signer } ({ $fingerprint }) signiert hat
signature-bad-over = Signatur UNGÜLTIG: { $file } ist nicht, was { $signer } ({ $fingerprint }) signiert hat
signature-unknown-key = Signatur nicht geprüft: Schlüssel { $fingerprint } ist nicht in Ihrem Schlüsselbund
signature-not-checked = Signatur nicht geprüft: { $why }
signature-why-unreadable = sie ist nicht lesbar ({ $detail })
signature-why-not-over-data = sie ist eine Schlüsselsignatur, keine über Daten
signature-why-md5 = sie verwendet MD5, das nichts mehr beweist
signature-why-unsupported = sie verwendet, was Braid nicht prüfen kann ({ $detail })
signature-why-other-hash = { $file } nennt die Prüfsumme nicht, mit der die Datei geprüft wurde
signature-pending = signiert von { $signer } ({ $fingerprint }); geprüft, sobald die Datei da ist
signature-none = keine Signatur
signature-unnamed = ein Schlüssel ohne Namen
signature-expired = Warnung: Schlüssel { $fingerprint } ist am { $date } abgelaufen, bevor er diese Signatur erstellte
signature-expired-after = Warnung: Schlüssel { $fingerprint } ist am { $date } abgelaufen, nachdem er diese Signatur erstellte
signature-revoked = Warnung: Schlüssel { $fingerprint } wurde am { $date } widerrufen
signature-revoked-reason = Warnung: Schlüssel { $fingerprint } wurde am { $date } widerrufen ({ $reason })
signature-not-for-signing = Warnung: Schlüssel { $fingerprint } ist nicht zum Signieren gültig
signature-sig-expired = Warnung: Die Signatur ist am { $date } abgelaufen
signature-weak-hash = Warnung: Die Signatur verwendet { $algorithm }, das gefälscht werden kann
signature-required = Eine gültige Signatur ist verlangt: { $outcome }
signature-required-none = Eine gültige Signatur ist verlangt, aber die Quelle hat keine
signature-import-key = Schlüssel importieren…

## Schlüssel (Einstellungen, Schlüssel importieren…)
settings-keys = OpenPGP-Schlüssel
settings-keys-hint = Signaturen werden mit diesen Schlüsseln geprüft, und mit den folgenden, wenn eingeschaltet
settings-keys-none = Noch keine Schlüssel in Braids Schlüsselbund
settings-keys-import-file = Schlüsseldatei importieren…
settings-keys-url = Schlüssel-URL (https://…)
settings-keys-import-url = Importieren
settings-keys-gnupg = Meinen GnuPG-Schlüsseln vertrauen
settings-keys-gnupg-count = { $count } öffentliche Schlüssel, nur lesend
settings-keys-gnupg-missing = GnuPG ist nicht installiert
settings-keys-system = Den Schlüsselbunden des Systems vertrauen
settings-keys-system-count = { $count } Schlüssel in /usr/share/keyrings und ähnlichen, nur lesend
settings-require-signature = Gültige Signatur verlangen
settings-require-signature-hint = Neue Downloads scheitern, wenn kein vertrauter Schlüssel sie signiert hat; die Daten bleiben, bis der Schlüssel importiert ist
keys-loading = Die Schlüssel werden gelesen…
keys-remove = Entfernen
keys-imported = { $key } importiert
keys-updated = { $key } aktualisiert
keys-unchanged = { $key } war schon da
keys-removed = { $key } entfernt
keys-failed = Der Schlüssel konnte nicht importiert werden: { $reason }
keys-not-a-url = { $url } ist keine http- oder https-URL
keys-pick-title = OpenPGP-Schlüssel importieren
keys-file-filter = OpenPGP-Schlüssel
keys-tag-revoked = widerrufen
keys-tag-expired = abgelaufen am { $date }
keys-tag-expires = läuft ab am { $date }
keys-tag-cannot-sign = kann nicht signieren
add-require-signature = Gültige Signatur verlangen
details-signature = Signatur
details-signature-later = Die OpenPGP-Signatur wird geprüft, sobald die Datei da ist
signature-recheck-failed = Die Signatur von { $name } konnte nicht geprüft werden: { $reason }

## Tray, per-download limits, schedule, categories (issue 14)
tray-show = Braid zeigen
tray-hide = Braid ausblenden
tray-quit-when-done = Beenden, wenn die Warteschlange fertig ist
tray-quit = Braid beenden
tray-idle = Es wird nichts heruntergeladen
tray-running = { $count ->
    [one] 1 Download läuft
   *[other] { $count } Downloads laufen
} · { $speed }
tray-kept = Braid lädt im Infobereich weiter; dort beendet „Braid beenden“ es.
priority-high = Hoch
priority-normal = Normal
priority-low = Niedrig
limit-title = Dieser Download
limit-rate = Tempolimit
limit-rate-hint = keine (z. B. 200K)
limit-connections = Verbindungen
limit-connections-hint = wie eingestellt
limit-priority = Priorität
limit-start = Starten um
limit-start-hint = z. B. 23:00
limit-apply = Übernehmen
limit-start-now = Starten, wenn er an der Reihe ist
limit-not-a-rate = „{ $text }“ ist keine Geschwindigkeit wie 200K oder 2M
limit-not-connections = „{ $text }“ ist keine Zahl von Verbindungen zwischen 1 und 64
limit-not-a-time = „{ $text }“ ist keine Uhrzeit wie 23:00
schedule-title = Im Hintergrund und nach Zeitplan
settings-close-to-tray = Beim Schließen des Fensters im Infobereich bleiben
settings-close-to-tray-note = Braid wird gerade im Infobereich angezeigt.
settings-close-to-tray-none = Kein Infobereich zeigt Braid: Schließen beendet es.
settings-when-done = Wenn die Warteschlange fertig ist
when-done-nothing = Nichts tun
when-done-quit = Braid beenden
schedule-help = Zeitfenster, das erste passende gilt: Tage (mon-fri, sat,sun, all), von, bis und die Geschwindigkeit dann: full, stop oder eine Grenze wie 500K.
schedule-add = Zeitfenster hinzufügen
schedule-remove = Entfernen
schedule-otherwise = Sonst:
schedule-error = Zeitfenster { $row }: { $reason }
schedule-error-otherwise = Außerhalb der Zeitfenster: { $reason }
schedule-now-limited = Zeitplan: { $speed } bis { $until }
schedule-now-stopped = Zeitplan: Downloads warten bis { $until }
schedule-now-limited-always = Zeitplan: { $speed }
schedule-now-stopped-always = Zeitplan: Downloads warten
weekday-mon = Mo.
weekday-tue = Di.
weekday-wed = Mi.
weekday-thu = Do.
weekday-fri = Fr.
weekday-sat = Sa.
weekday-sun = So.
categories-title = Ordner je Kategorie
categories-main-folder = der Download-Ordner
category-image = Abbilder
category-archive = Archive
category-package = Pakete
category-document = Dokumente
category-other = Sonstiges
filter-all = Alle
filter-active = Aktiv
filter-queued = Wartend
filter-paused = Angehalten
filter-done = Fertig
filter-failed = Fehlgeschlagen
filter-with-count = { $filter } { $count }
filter-all-kinds = Alle Kategorien
queue-search-hint = Namen durchsuchen (Strg+F)
queue-search-hint-short = Suchen (Strg+F)
queue-search-hint-tiny = Suchen
queue-search-clear = Suche leeren
queue-nothing-matches = Kein Download passt.
queue-show-all = Alle zeigen
queue-clear-completed = Fertige entfernen
queue-pause-shown = Gezeigte anhalten
queue-resume-shown = Gezeigte fortsetzen
add-category = Kategorie
add-start-hint = wenn er dran ist
