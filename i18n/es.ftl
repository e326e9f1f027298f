# La interfaz de Braid en español. Las claves son las de en.ftl.

## Toolbar and notices
toolbar-open = Abrir…
toolbar-paste = Pegar enlaces
toolbar-settings = Ajustes
notice-dismiss = Cerrar
drop-here = Suelte enlaces o archivos metalink para añadirlos
drop-add = Suelte para añadir { $what }
drop-download = Suelte para descargar { $what }
drop-links = { $count ->
    [one] 1 enlace
   *[other] { $count } enlaces
}
drop-metalinks = { $count ->
    [one] 1 metalink
   *[other] { $count } metalinks
}
drop-and = { $first } y { $second }
drop-nothing = Aquí no hay nada que Braid pueda añadir
drop-more-refused = y { $count } más que no se añaden
refused-scheme = { $link } no es un enlace http(s) ni ftp(s)
refused-text = «{ $text }» no es un enlace
closing = Pausando y guardando todas las descargas…
open-title = Abrir metalinks
open-filter = Archivos Metalink

## Queue
queue-empty-title = Aún no hay descargas
queue-empty-help = Abra un metalink con Ctrl+O, suelte aquí enlaces o archivos .meta4 y .metalink, o pegue enlaces con Ctrl+V.
queue-select-all = Seleccionar todo
queue-pause-selected = Pausar selección
queue-resume-selected = Reanudar selección
queue-pause-all = Pausar todo
queue-resume-all = Reanudar todo
queue-remove-selected = Quitar selección
queue-count = { $count ->
    [one] 1 descarga
   *[other] { $count } descargas
}
queue-eta = quedan { $time }
queue-mirrors = { $active } de { $all } réplicas en uso
size-unknown = tamaño desconocido

## States
state-queued = En espera
state-running = Descargando
state-paused = En pausa
state-verified = Hecho, verificado con { $hash }
state-finished-unverified = Hecho, sin verificar (no hay suma)
state-failed = Falló
state-verified-short = Terminada, verificada
state-done-short = Terminada, sin verificar
state-signed-short = Terminada, firmada
state-signature-unchecked-short = Terminada, firma sin comprobar
state-signature-bad-short = Terminada, firma NO VÁLIDA
state-checking = Comprobando { $file }: { $percent } %, { $found } aprovechables por ahora

## Actions
action-pause = Pausar
action-resume = Reanudar
action-retry = Reintentar
action-cancel = Cancelar
action-remove = Quitar
action-delete = Borrar archivo
action-open-file = Abrir
action-open-folder = Carpeta
action-details = Detalles
action-repair = Comprobar y reparar
action-repair-existing = Reparar el archivo existente
action-replace-existing = Reemplazar el archivo existente

## Add dialog
add-title = Añadir descarga
add-destination = Guardar en
add-choose-folder = Elegir…
add-start = Descargar ahora
add-queue = Añadir en pausa
add-cancel = Cancelar
add-more-waiting = { $count ->
    [one] Una descarga más espera este diálogo.
   *[other] { $count } descargas más esperan este diálogo.
}
add-start-all = Descargar las { $count }
add-checked-with = verificado con { $hash }
add-hash-and-pieces = verificado con { $hash }, piezas con { $pieces }
add-pieces-only = piezas verificadas con { $pieces }
add-not-checked = sin verificar: la fuente no da ninguna suma
add-mirror-count = { $count ->
    [one] 1 réplica
   *[other] { $count } réplicas
}
add-mirrors-in = { $count } réplicas en { $places }
add-no-mirror = «{ $name }» no tiene ninguna réplica HTTP, HTTPS, FTP o FTPS
add-nothing-chosen = Elija al menos un archivo.
add-free-space = { $needed } necesarios, { $free } libres
add-no-room = No hay espacio suficiente aquí: { $needed } necesarios, { $free } libres
add-chosen = { $chosen } de { $count } archivos elegidos, { $size }
add-select-all = Elegir todos
add-select-none = Ninguno
add-twin-queued = { $name } ya está en la lista
add-twin-done = { $name } ya está descargado
add-twin-queued-tag = ya en la lista
add-twin-done-tag = ya descargado

## Details
details-back = Lista
details-summary = { $done } de { $size } · { $state }
details-source = De { $source }
details-folder = En { $folder }
details-verified = Verificado con { $hash }{ $repaired ->
    [0] {""}
    [one] ; 1 pieza defectuosa se descargó de nuevo
   *[other] ; { $repaired } piezas defectuosas se descargaron de nuevo
}
details-unverified = Sin verificar: la fuente no da ninguna suma
details-will-verify = Se verificará con { $hash }
details-no-hash = La fuente no da ninguna suma: el archivo no se puede verificar
details-pieces = Piezas
details-mirrors = Réplicas
details-trouble = Problemas recientes de las réplicas
details-repair = Pieza { $piece }: defectuosa de { $bad }, reparada por { $good }
details-not-yet = aún no
piece-missing = falta
piece-in-flight = descargando
piece-verified = verificada
piece-repaired = reparada
details-no-piece-hashes = Sin sumas por pieza: las piezas solo se reciben; el archivo se comprueba entero al completarse.
details-reused = { $reused } de { $size } aprovechados del archivo en disco; { $fetched ->
    [one] 1 pieza descargada
   *[other] { $fetched } piezas descargadas
} ({ $fetched_bytes })
reuse-repair = Reparar el { $name } que ya está en esta carpeta
reuse-replace = Reemplazar el { $name } que ya está en esta carpeta
reuse-update = Actualizar desde una copia anterior: { $path }
reuse-choose = Otro archivo…
reuse-choose-file = Aprovechar un archivo en disco…
reuse-hint-zsync = Un archivo zsync lo describe: los bloques del archivo en disco se encuentran dondequiera que se hayan movido; solo se descarga el resto.
reuse-hint-repair = Se conservan sus piezas correctas y se descargan las malas; se reemplaza cuando el resultado está verificado.
reuse-hint-replace = No se puede comprobar pieza a pieza: se descarga de nuevo y se reemplaza una vez verificado.
reuse-hint-pieces = Se conservan las piezas que siguen iguales en su sitio; se descarga el resto.
reuse-hint-unusable = Ni sumas por pieza ni archivo zsync: una copia anterior no se puede comprobar.
piece-received = recibida

## Mirror table
mirror-origin = Réplica
mirror-location = Dónde
mirror-priority = Prioridad
mirror-connections = Con.
mirror-speed = Velocidad
mirror-bytes = Recibido
mirror-errors = Errores / malas
mirror-status = Estado
mirror-active = en uso
mirror-idle = inactiva
mirror-dropped = descartada: { $reason }

## Settings
settings-title = Ajustes
settings-folder = Carpeta de descargas
settings-active = Descargas a la vez
settings-connections = Conexiones por descarga
settings-rate = Límite de velocidad (todas)
settings-rate-hint = ninguno, o p. ej. 500K, 2M
settings-languages = Idiomas preferidos
settings-os = Sistema operativo
settings-locations = Países preferidos de las réplicas
settings-system-default = los del sistema
settings-start-without-asking = Empezar descargas sin preguntar
settings-notifications = Avisar cuando terminen las descargas
settings-theme = Tema
settings-ui-language = Idioma
settings-handler = Abrir metalinks
settings-register = Hacer de Braid el predeterminado
register-done = Registrado: { $what }
register-failed = No se pudo registrar Braid: { $reason }
settings-save = Guardar
settings-cancel = Cancelar
settings-error-active = Descargas a la vez: «{ $value }» no es un número de { $min } a { $max }
settings-error-connections = Conexiones: «{ $value }» no es un número de { $min } a { $max }
settings-error-rate = Límite de velocidad: { $reason }
settings-errors = { $count ->
    [one] Un campo necesita corrección
   *[other] { $count } campos necesitan corrección
}
theme-system = Como el sistema
theme-light = Claro
theme-dark = Oscuro
language-system = Como el sistema

## Errors and notifications
error-not-metalink = { $file } no es un metalink: Braid abre archivos .meta4 y .metalink
error-no-such-file = { $source }: el archivo no existe
error-not-a-source = { $source } no es ni un archivo ni un enlace http(s) o ftp(s)
error-no-file-dialog = No hay ningún diálogo de archivos disponible (el portal de escritorio no está en marcha). Suelte archivos en la ventana o pegue sus rutas con Ctrl+V.
error-paste-empty = El portapapeles no contiene enlaces ni rutas de archivo.
error-settings-save = No se pudieron guardar los ajustes: { $reason }
notify-finished = { $name } se ha descargado
notify-failed = { $name } ha fallado

## Units and dates
duration-seconds = { $s } s
duration-minutes = { $m } min { $s } s
duration-hours = { $h } h { $m } min
month = { $n ->
    [1] ene
    [2] feb
    [3] mar
    [4] abr
    [5] may
    [6] jun
    [7] jul
    [8] ago
    [9] sept
    [10] oct
    [11] nov
   *[12] dic
}
date-this-year = { $day } { $month }, { $time }
date-other-year = { $day } { $month } { $year }

## Queue table and status bar
column-name = Nombre
column-size = Tamaño
column-progress = Progreso
column-speed = Velocidad
column-time-left = Restante
column-mirrors = Espejos
column-added = Añadida
queue-removed = quitada
queue-deleted = quitada, su archivo borrado
action-undo = Deshacer
status-running = { $count } descargando
status-waiting = { $count } en espera
status-paused = { $count } en pausa
status-done = { $count ->
    [one] 1 terminada
   *[other] { $count } terminadas
}
status-failed = { $count ->
    [one] 1 fallida
   *[other] { $count } fallidas
}
status-free = { $free } libres
notices-more = { $count } más
notices-dismiss-all = Cerrar todos
notice-add = Añadir
clipboard-offer = Copiado: { $link }
clipboard-offer-many = { $count } enlaces de descarga copiados
error-delete = No se pudo borrar { $file }: { $reason }
error-open-missing = { $file } ya no está
error-open-no-handler = Ningún programa está configurado para abrir { $file }
error-open-failed = No se pudo abrir { $file }: { $reason }

## Why things went wrong (the engine's, the probe's and the reader's reasons)
reason-file-exists = { $path } ya existe; bórrelo o elija otra carpeta
reason-unsafe-name = el nombre de archivo '{ $name }' no es seguro: { $reason }
reason-no-mirrors = no queda ninguna réplica útil: { $mirrors }
reason-hash-mismatch = el archivo descargado no coincide con su suma { $hash }; se descartó
reason-internal = error interno: { $detail }
reason-disk-io = { $path }: { $detail }
reason-disk-symlink = { $path } es un enlace simbólico; Braid no escribe a través de él
reason-disk-not-directory = { $path } existe y no es una carpeta
reason-disk-locked = otro Braid está descargando { $path }
reason-disk-no-space = no hay espacio suficiente en { $dir }: faltan { $needed }, quedan { $free }
reason-io-not-found = no encontrado
reason-io-permission = permiso denegado
reason-io-full = el disco está lleno
reason-io-read-only = el sistema de archivos es de solo lectura
reason-missing = HTTP { $status }: no está en esta réplica
reason-link-missing = HTTP { $status }: no hay nada en esta dirección
reason-status = HTTP { $status }
reason-content-encoding = el servidor comprime el archivo ({ $coding }), así que sus bytes no son los del archivo
reason-wrong-range = el servidor envió otros bytes que los pedidos
reason-no-content-range = la respuesta parcial del servidor no dice qué bytes contiene
reason-wrong-size = el archivo mide aquí { $served }, se esperaba { $expected }
reason-changed = el archivo cambió en esta réplica desde que empezó la descarga
reason-bad-piece = la pieza { $piece } no pasó la comprobación
reason-net-connect = no se pudo conectar
reason-net-timeout = tiempo agotado
reason-net-closed-early = la conexión se cerró antes de tiempo
reason-net-stalled = detenida: nada recibido en { $seconds } s
reason-net-other = error de red
reason-net-too-slow = demasiado lenta ({ $speed }): su trabajo pasó a réplicas más rápidas
reason-tls-unknown-issuer = certificado no fiable: emisor desconocido
reason-tls-other-host = el certificado es de otro servidor distinto de { $host }
reason-tls-expired = certificado caducado
reason-tls-not-yet-valid = certificado aún no válido
reason-tls-revoked = certificado revocado
reason-tls-certificate = certificado no fiable
reason-tls-handshake = la conexión segura falló
reason-ftp-missing = FTP { $code }: no está en esta réplica ({ $text })
reason-ftp-refused = el servidor FTP rechazó { $command } ({ $code } { $text })
reason-ftp-full = el servidor FTP no acepta más conexiones ({ $code } { $text })
reason-ftp-login = el servidor FTP rechazó el inicio de sesión: ¿usuario o contraseña incorrectos? ({ $code } { $text })
reason-ftp-no-tls = el servidor FTP no ofrece TLS (AUTH TLS): { $text }
reason-ftp-data-connection = falló la conexión de datos FTP al puerto { $port }: { $why }
reason-ftp-protocol = la respuesta del servidor FTP no tiene sentido: { $detail }
reason-failures = { $count } fallos seguidos, el último: { $last }
reason-bad-pieces = { $count } piezas no pasaron la comprobación
reason-nothing-usable = nada útil para las piezas que faltan
reason-changed-restarting = el archivo cambió en el servidor desde que empezó; se empieza de nuevo
reason-state-not-saved = no se pudo guardar el estado para continuar: { $reason }
reason-not-a-rate = «{ $value }» no es una velocidad (p. ej. 500K, 2M, 1G)
reason-no-location = { $url }: HTTP { $status } sin Location
reason-bad-redirect = { $url }: redirección errónea a '{ $location }'
reason-unsupported-redirect = { $url }: redirigido a un enlace no admitido: { $target }
reason-too-many-redirects = { $url }: demasiadas redirecciones
reason-metalink-too-large = { $url }: el metalink es demasiado grande
note-unreadable-metalink = no se pudo leer el metalink que lo describe ({ $reason }); se usa el archivo tal cual
name-empty = el nombre está vacío
name-too-long = el nombre es demasiado largo
name-absolute = es una ruta absoluta
name-backslash = contiene una barra invertida
name-control = contiene un carácter de control
name-forbidden = contiene '{ $char }', que no puede estar en un nombre de archivo
name-empty-component = contiene una parte vacía en la ruta
name-dot-component = contiene una parte '.' o '..'
name-bad-start = la parte '{ $part }' empieza por '{ $char }'
name-bad-end = la parte '{ $part }' termina en '{ $char }'
name-device = '{ $part }' es un nombre de dispositivo reservado en Windows
name-component-too-long = la parte '{ $part }' es demasiado larga
position = línea { $line }, columna { $column }
warning-at = { $at }: { $message }
parse-too-large = el documento mide { $size }; se rechazan los de más de { $limit }
parse-not-utf8 = { $at }: el documento no es UTF-8 válido
parse-encoding = { $at }: la codificación '{ $encoding }' no se admite; los metalinks son UTF-8
parse-xml = { $at }: XML mal formado ({ $detail })
xml-control-character = el carácter de control { $name } no está permitido en XML
xml-mismatched-end = <{ $expected }> se cierra con </{ $found }>
xml-unmatched-end = </{ $name }> no cierra ningún elemento abierto
xml-ends-before-closed = el documento termina antes de cerrar <{ $name }>
xml-ends-inside-element = el documento termina dentro de un elemento
xml-no-root = el documento no tiene elemento raíz
xml-second-root = un segundo elemento raíz después del primero
xml-cdata-outside-root = CDATA fuera del elemento raíz
xml-text-before-root = texto antes del elemento raíz
xml-text-after-root = texto después del elemento raíz
xml-character-reference = &{ $name }; no es un carácter válido
xml-undefined-entity = &{ $name }; no es una entidad conocida
xml-unclosed-tag = una etiqueta sin final
xml-unclosed-comment = un comentario sin final
xml-unclosed-cdata = una sección CDATA sin final
xml-unclosed-doctype = una declaración de tipo de documento sin final
xml-unclosed-processing-instruction = una instrucción de procesamiento sin final
xml-unclosed-attribute-value = un valor de atributo entre comillas sin final
xml-attribute-no-equals = un atributo sin «=»
xml-attribute-no-value = un atributo sin valor
xml-attribute-unquoted = un valor de atributo sin comillas
xml-attribute-duplicated = un atributo repetido
parse-doctype = { $at }: las declaraciones de tipo de documento (DTD) no se permiten en metalinks
parse-limit = { $at }: el documento tiene más de { $limit } { $what }
parse-not-metalink = { $at }: no es un metalink (el elemento raíz es { $found })
parse-no-usable-file = ningún archivo útil en el documento
parse-no-usable-file-because = ningún archivo útil en el documento ({ $reason }{ $more ->
    [0] {""}
   *[other] ; y { $more } más
})
select-english-instead = Ningún archivo está en { $wanted }; se eligen los de inglés.
select-all-languages = Ningún archivo está en { $wanted } ni en inglés; se eligen todos los idiomas.
select-no-os = Ningún archivo es para { $os } (el documento ofrece { $offered }); elija los archivos usted.
error-read-file = No se pudo leer { $file }: { $reason }
error-metalink-too-large = { $file } mide más de { $limit }; no se lee
select-your-language = su idioma

## Scheduling, limits, queue order, tray (issue 14)
state-waiting = Empieza { $time }
## Plain links: where checksums and mirrors come from; creating metalinks
toolbar-create = Crear metalink…
create-title = Crear metalink
create-help = Describa los archivos que publica: Braid escribe un documento Metalink 4 con sus tamaños, sumas de comprobación, piezas y réplicas, y comprueba que se vuelve a leer.
create-files = Archivos
create-add-files = Añadir archivos…
create-pick-title = Archivos que describir
create-no-files-yet = Aún no hay archivos.
create-mirrors = Réplicas (cada archivo está en RÉPLICA/nombre)
create-mirror-hint = https://mirror.example.org/pub,location=de,priority=1
create-add-mirror = Añadir réplica
create-priority = prioridad { $priority }
create-pieces = Piezas
create-pieces-automatic = Automático
create-pieces-none = Ninguna
create-hashes = Sumas de comprobación
create-languages = Idiomas
create-os = Sistemas operativos
create-save = Guardar metalink…
create-save-title = Guardar el metalink
create-hashing = Calculando sumas: { $done } de { $total }…
create-stop = Detener
create-stopped = Detenido.
create-no-files = Añada al menos un archivo.
create-no-mirrors = Añada al menos una réplica.
create-bad-mirror = No es una réplica: { $reason }
create-out-is-input = El metalink no se puede guardar sobre uno de sus archivos.
create-written = Metalink escrito: { $file }
checksum-from-metalink = { $hash } del metalink
checksum-from-user = { $hash } que usted indicó
checksum-from-header = { $hash } de la cabecera Digest del servidor
checksum-from-file = { $hash } de { $place }
checksum-from-signed-file = { $hash } de { $place } (firmado en claro; la firma aún no se comprueba)
checksum-from-service = { $hash } del servicio de metalinks { $place }
found-checked = Comprobado con { $how }
found-not-checked = Sin comprobar: no se encontró ninguna suma para el archivo
# Each carries its preposition: Spanish contracts "de el" to "del".
mirrors-from-given = del propio enlace
mirrors-from-user = de su lista
mirrors-from-link-header = de las cabeceras Link del servidor
mirrors-from-file = de { $place }
mirrors-from-service = del servicio de metalinks { $place }
mirrors-from-memory = de la memoria de Braid
mirrors-part = { $count } { $from }
found-mirrors = { $count ->
    [one] 1 réplica más
   *[other] { $count } réplicas más
}: { $parts }
found-unchecked = { $count } réplica(s) { $from } sin usar: no hay suma con la que comprobarlas
found-header-disagrees = Su suma { $hash } difiere de la cabecera Digest del servidor; se usa la suya.
found-conflict = Las sumas publicadas no coinciden ({ $detail }). Introduzca la correcta como suma esperada.
add-expected-hash = Suma esperada
add-expected-hint = sha-256:… o la suma hexadecimal de la página de descarga
add-expected-bad = No es una suma: { $reason }
add-looking = Buscando sumas y réplicas…
create-remove = Quitar
create-languages-hint = de, en (o ARCHIVO=de)
create-os-hint = linux-x86_64 (o ARCHIVO=os)
settings-checksum-search = Buscar sumas publicadas
settings-checksum-search-hint = Para enlaces simples: SHA256SUMS, ARCHIVO.sha256 y similares junto al archivo, con unas pocas peticiones pequeñas.
settings-watch-clipboard = Ofrecer enlaces de descarga copiados
settings-watch-clipboard-hint = Un enlace que copie y termine en .meta4 o .metalink, o que nombre una descarga (.iso, .zip, …), se ofrece con «Añadir»; no se añade nada sin su confirmación.
settings-services = Servicios de metalinks
settings-services-none = ninguno
settings-services-hint = Se les piden más réplicas de enlaces simples, como en Dynmirror; sus réplicas solo se usan con una suma que las compruebe.
settings-error-service = Servicios de metalinks: '{ $value }' no es una dirección http o https
details-checksum-origin = Suma: { $how }
details-mirror-from = { $mirror } ({ $from })
found-disagree = { $first } dice { $hash } { $one }, { $second } dice { $other }
found-listed-twice = { $file } indica { $name } dos veces con sumas { $hash } distintas, en las líneas { $first } y { $second }
found-place-user = su suma
found-place-header = la cabecera Digest del servidor
found-place-metalink = el metalink


## Firmas
signature-good = firma válida, de { $signer } ({ $fingerprint })
signature-good-over = firma válida (sobre { $file }), de { $signer } ({ $fingerprint })
signature-bad = firma NO VÁLIDA: el archivo no es lo que firmó { $signer } ({ $fingerprint })
signature-bad-over = firma NO VÁLIDA: { $file } no es lo que firmó { $signer } ({ $fingerprint })
signature-unknown-key = firma sin comprobar: la clave { $fingerprint } no está en su llavero
signature-not-checked = firma sin comprobar: { $why }
signature-why-unreadable = no se puede leer ({ $detail })
signature-why-not-over-data = es una firma de clave, no sobre datos
signature-why-md5 = usa MD5, que ya no demuestra nada
signature-why-unsupported = usa algo que Braid no puede comprobar ({ $detail })
signature-why-other-hash = { $file } no incluye la suma con la que se comprobó el archivo
signature-pending = firmado por { $signer } ({ $fingerprint }); se comprueba cuando llegue el archivo
signature-none = sin firma
signature-unnamed = una clave sin nombre
signature-expired = aviso: la clave { $fingerprint } caducó el { $date }, antes de hacer esta firma
signature-expired-after = aviso: la clave { $fingerprint } caducó el { $date }, después de hacer esta firma
signature-revoked = aviso: la clave { $fingerprint } fue revocada el { $date }
signature-revoked-reason = aviso: la clave { $fingerprint } fue revocada el { $date } ({ $reason })
signature-not-for-signing = aviso: la clave { $fingerprint } no es válida para firmar
signature-sig-expired = aviso: la firma caducó el { $date }
signature-weak-hash = aviso: la firma usa { $algorithm }, que se puede falsificar
signature-required = se exige una firma válida: { $outcome }
signature-required-none = se exige una firma válida, y la fuente no tiene ninguna
signature-import-key = Importar clave…

## Claves (Ajustes, Importar clave…)
settings-keys = Claves OpenPGP
settings-keys-hint = Las firmas se comprueban con estas claves, y con las de abajo si están activadas
settings-keys-none = Aún no hay claves en el llavero de Braid
settings-keys-import-file = Importar archivo de clave…
settings-keys-url = URL de la clave (https://…)
settings-keys-import-url = Importar
settings-keys-gnupg = Confiar en mis claves de GnuPG
settings-keys-gnupg-count = { $count } claves públicas, solo lectura
settings-keys-gnupg-missing = GnuPG no está instalado
settings-keys-system = Confiar en los llaveros del sistema
settings-keys-system-count = { $count } claves en /usr/share/keyrings y similares, solo lectura
settings-require-signature = Exigir una firma válida
settings-require-signature-hint = Las descargas nuevas fallan si no las firmó una clave de confianza; los datos se guardan hasta que se importe la clave
keys-loading = Leyendo las claves…
keys-remove = Quitar
keys-imported = { $key } importada
keys-updated = { $key } actualizada
keys-unchanged = { $key } ya estaba
keys-removed = { $key } quitada
keys-failed = No se pudo importar la clave: { $reason }
keys-not-a-url = { $url } no es una URL http o https
keys-pick-title = Importar una clave OpenPGP
keys-file-filter = Claves OpenPGP
keys-tag-revoked = revocada
keys-tag-expired = caducó el { $date }
keys-tag-expires = caduca el { $date }
keys-tag-cannot-sign = no puede firmar
add-require-signature = Exigir una firma válida
details-signature = Firma
details-signature-later = Su firma OpenPGP se comprueba cuando llegue el archivo
signature-recheck-failed = No se pudo comprobar la firma de { $name }: { $reason }

## Tray, per-download limits, schedule, categories (issue 14)
tray-show = Mostrar Braid
tray-hide = Ocultar Braid
tray-quit-when-done = Salir cuando termine la cola
tray-quit = Salir de Braid
tray-idle = No se descarga nada
tray-running = { $count ->
    [one] 1 descarga en curso
   *[other] { $count } descargas en curso
} · { $speed }
tray-kept = Braid sigue descargando desde la bandeja; elige «Salir de Braid» allí para detenerlo.
priority-high = Alta
priority-normal = Normal
priority-low = Baja
limit-title = Esta descarga
limit-rate = Límite de velocidad
limit-rate-hint = ninguno (ej. 200K)
limit-connections = Conexiones
limit-connections-hint = como en Ajustes
limit-priority = Prioridad
limit-start = Empezar a las
limit-start-hint = ej. 23:00
limit-apply = Aplicar
limit-start-now = Empezar cuando le toque
limit-not-a-rate = «{ $text }» no es una velocidad como 200K o 2M
limit-not-connections = «{ $text }» no es un número de conexiones entre 1 y 64
limit-not-a-time = «{ $text }» no es una hora como 23:00
schedule-title = En segundo plano y con horario
settings-close-to-tray = Al cerrar la ventana, Braid sigue en la bandeja
settings-close-to-tray-note = Una bandeja muestra Braid ahora.
settings-close-to-tray-none = Ninguna bandeja muestra Braid: cerrar la ventana lo cierra.
settings-when-done = Cuando termine la cola
when-done-nothing = No hacer nada
when-done-quit = Salir de Braid
schedule-help = Franjas horarias, vale la primera que coincida: días (mon-fri, sat,sun, all), desde, hasta y la velocidad entonces: full, stop o un límite como 500K.
schedule-add = Añadir una franja
schedule-remove = Quitar
schedule-otherwise = Si no:
schedule-error = Franja { $row }: { $reason }
schedule-error-otherwise = Fuera de las franjas: { $reason }
schedule-now-limited = Horario: { $speed } hasta { $until }
schedule-now-stopped = Horario: las descargas esperan hasta { $until }
schedule-now-limited-always = Horario: { $speed }
schedule-now-stopped-always = Horario: las descargas esperan
weekday-mon = lun.
weekday-tue = mar.
weekday-wed = mié.
weekday-thu = jue.
weekday-fri = vie.
weekday-sat = sáb.
weekday-sun = dom.
categories-title = Carpetas por categoría
categories-main-folder = la carpeta de descargas
category-image = Imágenes de disco
category-archive = Archivos comprimidos
category-package = Paquetes
category-document = Documentos
category-other = Otros
filter-all = Todas
filter-active = Activas
filter-queued = En espera
filter-paused = En pausa
filter-done = Terminadas
filter-failed = Fallidas
filter-with-count = { $filter } { $count }
filter-all-kinds = Todas las categorías
queue-search-hint = Buscar por nombre (Ctrl+F)
queue-search-hint-short = Buscar (Ctrl+F)
queue-search-hint-tiny = Buscar
queue-search-clear = Borrar la búsqueda
queue-nothing-matches = Ninguna descarga coincide.
queue-show-all = Mostrar todas
queue-clear-completed = Quitar las terminadas
queue-pause-shown = Pausar las mostradas
queue-resume-shown = Reanudar las mostradas
add-category = Categoría
add-start-hint = cuando le toque
