# La interfaz de Braid en español. Las claves son las de en.ftl.

## Toolbar and notices
toolbar-open = Abrir…
toolbar-paste = Pegar enlaces
toolbar-settings = Ajustes
notice-dismiss = Cerrar
drop-here = Suelte archivos .meta4 o .metalink para añadirlos
closing = Pausando y guardando todas las descargas…
open-title = Abrir metalinks
open-filter = Archivos Metalink

## Queue
queue-empty-title = Aún no hay descargas
queue-empty-help = Abra un metalink con Ctrl+O, suelte aquí un archivo .meta4 o .metalink, o pegue enlaces con Ctrl+V.
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

## Add dialog
add-title = Añadir descarga
add-destination = Guardar en
add-choose-folder = Elegir…
add-start = Descargar ahora
add-queue = Añadir en pausa
add-cancel = Cancelar
add-checked-with = verificado con { $hash }
add-hash-and-pieces = verificado con { $hash }, piezas con { $pieces }
add-pieces-only = piezas verificadas con { $pieces }
add-not-checked = sin verificar: la fuente no da ninguna suma
add-mirror-count = { $count ->
    [one] 1 réplica
   *[other] { $count } réplicas
}
add-mirrors-in = { $count } réplicas en { $places }
add-no-mirror = «{ $name }» no tiene ninguna réplica http o https
add-nothing-chosen = Elija al menos un archivo.
add-free-space = { $needed } necesarios, { $free } libres
add-no-room = No hay espacio suficiente aquí: { $needed } necesarios, { $free } libres

## Details
details-back = ← Lista
details-summary = { $done } de { $size } · { $state }
details-source = De { $source }
details-folder = En { $folder }
details-verified = Verificado con { $hash }; { $repaired } piezas defectuosas se descargaron de nuevo
details-unverified = Sin verificar: la fuente no da ninguna suma
details-will-verify = Se verificará con { $hash }
details-no-hash = La fuente no da ninguna suma: el archivo no se puede verificar
details-pieces = Piezas
details-mirrors = Réplicas
details-mirror-count = { $count } réplicas
details-trouble = Problemas recientes de las réplicas
details-repair = Pieza { $piece }: defectuosa de { $bad }, reparada por { $good }
details-not-yet = aún no
piece-missing = falta
piece-in-flight = descargando
piece-verified = verificada
piece-repaired = reparada

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
theme-system = Como el sistema
theme-light = Claro
theme-dark = Oscuro
language-system = Como el sistema

## Errors and notifications
error-not-metalink = { $file } no es un metalink: Braid abre archivos .meta4 y .metalink
error-no-such-file = { $source }: el archivo no existe
error-not-a-source = { $source } no es ni un archivo ni un enlace http(s)
error-no-file-dialog = No hay ningún diálogo de archivos disponible (el portal de escritorio no está en marcha). Suelte archivos en la ventana o pegue sus rutas con Ctrl+V.
error-paste-empty = El portapapeles no contiene enlaces ni rutas de archivo.
error-settings-save = No se pudieron guardar los ajustes: { $reason }
notify-finished = { $name } se ha descargado
notify-failed = { $name } ha fallado
