# Braids Oberfläche auf Deutsch. Schlüssel wie in en.ftl.

## Toolbar and notices
toolbar-open = Öffnen…
toolbar-paste = Links einfügen
toolbar-settings = Einstellungen
notice-dismiss = Schließen
drop-here = .meta4- oder .metalink-Dateien hier ablegen, um sie hinzuzufügen
closing = Alle Downloads werden angehalten und gesichert…
open-title = Metalinks öffnen
open-filter = Metalink-Dateien

## Queue
queue-empty-title = Noch keine Downloads
queue-empty-help = Öffnen Sie einen Metalink mit Strg+O, legen Sie eine .meta4- oder .metalink-Datei hier ab oder fügen Sie Links mit Strg+V ein.
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

## Add dialog
add-title = Download hinzufügen
add-destination = Speichern in
add-choose-folder = Wählen…
add-start = Jetzt laden
add-queue = Angehalten hinzufügen
add-cancel = Abbrechen
add-checked-with = geprüft mit { $hash }
add-hash-and-pieces = geprüft mit { $hash }, Stücke mit { $pieces }
add-pieces-only = Stücke geprüft mit { $pieces }
add-not-checked = nicht geprüft: die Quelle nennt keine Prüfsumme
add-mirror-count = { $count ->
    [one] 1 Spiegel
   *[other] { $count } Spiegel
}
add-mirrors-in = { $count } Spiegel in { $places }
add-no-mirror = „{ $name }“ hat keinen http- oder https-Spiegel
add-nothing-chosen = Wählen Sie mindestens eine Datei.
add-free-space = { $needed } benötigt, { $free } frei
add-no-room = Nicht genug Platz hier: { $needed } benötigt, { $free } frei

## Details
details-back = ← Liste
details-summary = { $done } von { $size } · { $state }
details-source = Aus { $source }
details-folder = Nach { $folder }
details-verified = Geprüft mit { $hash }; { $repaired } fehlerhafte Stücke wurden neu geladen
details-unverified = Nicht geprüft: die Quelle nennt keine Prüfsumme
details-will-verify = Wird mit { $hash } geprüft
details-no-hash = Die Quelle nennt keine Prüfsumme: die Datei kann nicht geprüft werden
details-pieces = Stücke
details-mirrors = Spiegel
details-mirror-count = { $count } Spiegel
details-trouble = Letzte Probleme der Spiegel
details-repair = Stück { $piece }: fehlerhaft von { $bad }, repariert durch { $good }
details-not-yet = noch nicht
piece-missing = fehlt
piece-in-flight = lädt
piece-verified = geprüft
piece-repaired = repariert

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
theme-system = Wie das System
theme-light = Hell
theme-dark = Dunkel
language-system = Wie das System

## Errors and notifications
error-not-metalink = { $file } ist kein Metalink: Braid öffnet .meta4- und .metalink-Dateien
error-no-such-file = { $source }: Datei nicht gefunden
error-not-a-source = { $source } ist weder eine Datei noch ein http(s)-Link
error-no-file-dialog = Hier ist kein Dateidialog verfügbar (das Desktop-Portal läuft nicht). Legen Sie Dateien auf dem Fenster ab oder fügen Sie ihre Pfade mit Strg+V ein.
error-paste-empty = Die Zwischenablage enthält keine Links oder Dateipfade.
error-settings-save = Die Einstellungen konnten nicht gesichert werden: { $reason }
notify-finished = { $name } ist geladen
notify-failed = { $name } ist fehlgeschlagen
