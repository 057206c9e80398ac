/** Español. */
import type { Messages, PurposeTexts } from "./en.ts";

export const es: Messages = {
  "app.name": "DataCoop",
  "config.failed": "La aplicación no pudo arrancar:",
  "lang.label": "Idioma",
  "nav.label": "Principal",
  "nav.skip": "Saltar al contenido",
  "nav.home": "Inicio",
  "nav.membership": "Miembros",
  "nav.consent": "Mi consentimiento",
  "nav.proposals": "Votaciones",
  "nav.data": "Mis datos",
  "nav.partner": "Socios externos",
  "nav.audit": "Auditoría",
  "footer.network": "Cooperativa en {network}",
  "read.loading": "Cargando…",
  "read.failed": "No se pudo leer la red. Revisa tu conexión e inténtalo de nuevo.",
  "indexer.failed":
    "No se pudo consultar el índice de la cooperativa. Revisa tu conexión e inténtalo de nuevo.",
  "time.underMinute": "menos de un minuto",
  "reveal.address": "ver la dirección",
  "reveal.details": "ver los detalles",
  "reveal.hide": "ocultar",
  "who.you": "tú",
  "who.youMember": "tú (miembro n.º {id})",
  "who.member": "el miembro n.º {id}",
  "who.partnerNamed": "«{name}» (nombre que da el propio socio)",
  "who.partnerUnnamed": "un socio que no dio su nombre",
  "who.applicant": "la persona que solicitó el {date}",
  "who.outside": "alguien de fuera de la cooperativa",
  "who.contract.timelock": "la tesorería de la cooperativa",
  "who.contract.membership": "el registro de miembros de la cooperativa",
  "who.contract.governor": "las reglas de votación de la cooperativa",
  "who.contract.registry": "el registro de accesos a los datos de la cooperativa",
  "who.contract.consent": "el registro de consentimientos de la cooperativa",
  "who.contract.revenue": "el reparto de tarifas de la cooperativa",
  "who.contract.accessLog": "el registro de accesos de la cooperativa",
  "home.intro":
    "Aquí los miembros reúnen sus datos y deciden juntos, un miembro un voto, quién puede usarlos y para qué. Las tarifas que pagan los socios se reparten entre los miembros.",
  "home.connect": "Conecta una billetera (arriba en la página) para ver lo que te espera.",
  "home.member": "Eres el miembro número {id}.",
  "home.notMember": "No eres miembro de esta cooperativa.",
  "home.apply": "Cómo unirse",
  "home.waiting": "Esperan tu voto",
  "home.waiting.none": "Nada espera tu voto.",
  "home.waiting.count": {
    one: "{count} votación espera tu voto.",
    many: "{count} votaciones esperan tu voto.",
    other: "{count} votaciones esperan tu voto.",
  },
  "home.voteNow": "Votar ahora",
  "home.open": "Votaciones abiertas",
  "home.open.none": "No hay ninguna votación abierta ahora.",
  "home.open.allShown": "Todas las votaciones abiertas están arriba.",
  "home.allVotes": "Todas las votaciones",
  "home.fees": "Tarifas por cobrar",
  "home.fees.amount": "Te esperan {amount}.",
  "home.fees.collect": "Cobrarlas en Mis datos",
  "home.next": "Qué puedes hacer",
  "home.link.consent": "Elegir para qué se pueden usar tus datos",
  "home.link.data": "Añadir registros y ver quién usó tus datos",
  "home.link.benchmark": "Ver cómo se comparan tus cifras con las del conjunto",
  "home.link.propose": "Hacer una propuesta",
  "summary.tallies": "A favor {for}, en contra {against}, abstención {abstain}",
  "summary.quorumReached": "participación alcanzada",
  "summary.quorumMissing": {
    one: "falta {count} voto",
    many: "faltan {count} votos",
    other: "faltan {count} votos",
  },
  "proposals.title": "Votaciones",
  "proposals.intro":
    "Cada decisión de la cooperativa es una votación de sus miembros. Abre una propuesta para leerla y votar.",
  "proposals.none": "Todavía no hay propuestas.",
  "proposals.untitled": "(sin título)",
  "proposals.turnout": "Participación en las últimas votaciones",
  "proposal.number": "Propuesta {number}",
  "proposal.lookup.label": "Abrir una propuesta por su número",
  "proposal.lookup.open": "Abrir",
  "proposal.lookup.invalid": "Un número de propuesta es un número entero, como 7.",
  "proposal.unknown": "No existe ninguna propuesta con este número.",
  "proposal.proposer": "Propuesta por {who}",
  "proposal.opensIn": "La votación abre en {time}",
  "proposal.closesIn": "La votación cierra en {time}",
  "proposal.closed": "La votación está cerrada",
  "proposal.willDo": "Qué hará",
  "proposal.description": "De qué trata",
  "proposal.tallies": "Votos hasta ahora",
  "proposal.quorum": "Participación necesaria",
  "proposal.quorumProgress":
    "{votes} de los {quorum} votos necesarios (cuentan A favor y Abstención).",
  "proposal.quorumReached": "Participación alcanzada: {votes} votos, {quorum} necesarios.",
  "proposal.quorumLater": "Se conocerá cuando abra la votación.",
  "proposal.noVoteAtSnapshot":
    "Solo pueden votar quienes eran miembros cuando se abrió la votación.",
  "proposal.yourVote": "Tu voto",
  "proposal.alreadyVoted": "Ya has votado en esta propuesta.",
  "proposal.youVoted": "Votaste «{choice}».",
  "proposal.yourReason": "Tu motivo: «{reason}»",
  "proposal.reason": "Tu motivo (opcional)",
  "proposal.reason.hint": "Los demás miembros pueden leerlo junto con tu voto.",
  "proposal.gasless.label": "Votar sin pagar comisión (la cooperativa envía tu voto firmado)",
  "proposal.vote.summary": "Votar «{choice}» en la {number}. Un voto no se puede cambiar.",
  "proposal.vote.summaryReason":
    "Votar «{choice}» en la {number}, diciendo: «{reason}». Un voto no se puede cambiar.",
  "proposal.votes": {
    one: "Quién votó ({count} miembro)",
    many: "Quién votó ({count} miembros)",
    other: "Quién votó ({count} miembros)",
  },
  "proposal.voteLine": "{voter}: {choice}",
  "proposal.carryOut": "Ejecutarla",
  "proposal.queue": "Ponerla en cola",
  "proposal.queue.hint":
    "La votación se aprobó. Ponla en cola para iniciar el tiempo de espera; después, cualquiera puede ejecutarla.",
  "proposal.queue.summary": "Poner en cola la {number}: empieza su tiempo de espera.",
  "proposal.execute": "Ejecutarla",
  "proposal.execute.ready": "El tiempo de espera terminó: ya se puede ejecutar.",
  "proposal.execute.wait": "Se podrá ejecutar dentro de {time}.",
  "proposal.execute.summary": "Ejecutar la {number}: sus cambios entran en vigor.",
  "vote.for": "A favor",
  "vote.against": "En contra",
  "vote.abstain": "Abstención",
  "state.pending": "Aún no abierta",
  "state.active": "Abierta a votación",
  "state.canceled": "Cancelada",
  "state.defeated": "Rechazada",
  "state.succeeded": "Aprobada",
  "state.queued": "Aprobada, a la espera de aplicarse",
  "state.expired": "Aprobada, pero caducada",
  "state.executed": "Aplicada",
  "calls.none": "Nada: esta propuesta no cambia nada.",
  "calls.warning": "Revisa con cuidado:",
  "call.admit": "Admitir a {member} como miembro.",
  "call.remove": "Dar de baja a {member} de la cooperativa.",
  "call.registerDataset": "Registrar el conjunto de datos «{name}» con los campos {fields}.",
  "call.retireDataset": "Retirar el conjunto de datos {id}: no se aceptan nuevas solicitudes.",
  "call.approve":
    "Aprobar la solicitud de acceso {id}: el socio obtiene acceso y la tarifa se reparte.",
  "call.reject": "Rechazar la solicitud de acceso {id}: se devuelve la tarifa al socio.",
  "call.revoke": "Revocar definitivamente la autorización {id} (motivo: {reason}).",
  "call.grantToMembers":
    "Dar a los propios miembros de la cooperativa acceso para comparativas, sin tarifa.",
  "call.pause": "Suspender todas las autorizaciones y las nuevas solicitudes.",
  "call.unpause": "Levantar la suspensión de autorizaciones y solicitudes.",
  "call.setGuardian": "Nombrar guardián a {address}, que puede revocar autorizaciones y suspender.",
  "call.setMinimumFee": "Fijar la tarifa mínima de las nuevas solicitudes en {amount}.",
  "call.setMaxDuration": "Fijar el acceso más largo que un socio puede pedir en {duration}.",
  "call.setVotingDelay": "Fijar el tiempo antes de abrir la votación en {duration}.",
  "call.setVotingPeriod": "Fijar el tiempo de votación en {duration}.",
  "call.setLateQuorum":
    "Fijar el tiempo extra de votación tras una participación tardía en {duration}.",
  "call.setQuorum": "Fijar la participación necesaria en el {percent}% de los miembros.",
  "call.setTimelockDelay":
    "Fijar la espera antes de que las decisiones entren en vigor en {duration}.",
  "call.updateTimelock":
    "Entregar la tesorería y los poderes de la cooperativa a otro contrato, {address}.",
  "call.grantRole": "Dar el rol {role} sobre la tesorería a {account}.",
  "call.revokeRole": "Quitar el rol {role} sobre la tesorería a {account}.",
  "call.setModeEqual":
    "Repartir las tarifas de futuras autorizaciones por igual entre los miembros.",
  "call.setModeByUse":
    "Repartir las tarifas de futuras autorizaciones según de quién se usaron los datos.",
  "call.setTreasuryShare":
    "Guardar el {percent}% de cada tarifa en la tesorería de la cooperativa.",
  "call.setOperator": "Nombrar a {address} operador de la pasarela de datos.",
  "call.payment": "Pagar {amount} de la tesorería a {to}, que no es un contrato de la cooperativa.",
  "call.unknownTarget":
    "Llamar a {target}, que no es un contrato de la cooperativa: su efecto es desconocido.",
  "call.undecodable":
    "Llamar al contrato {contract} con datos que no corresponden a ninguna de sus funciones.",
  "call.withPayment": "Enviar {amount} con una llamada a {fn}.",
  "call.other": "Hacer un cambio ({fn}, {contract}) que aquí no tiene formulario.",
  "calls.terms.aggregate":
    "Condiciones: {partner} obtiene totales por grupos de al menos {k} miembros de {fields} de «{dataset}», para {purpose}, durante {duration}; tarifa {fee}; condiciones en {terms}.",
  "calls.terms.members":
    "Condiciones: cada miembro obtiene totales por grupos de al menos {k} miembros de {fields} de «{dataset}», para {purpose}, durante {duration}.",
  "calls.terms.rows":
    "Condiciones: {partner} obtiene filas seudonimizadas de {fields} de al menos {k} miembros de «{dataset}», para {purpose}, durante {duration}; tarifa {fee}; condiciones en {terms}.",
  "propose.new": "Hacer una propuesta",
  "propose.heading": "Nueva propuesta",
  "propose.intro":
    "Elige qué debe decidir la cooperativa y rellena el formulario. Verás exactamente qué hará la propuesta antes de firmar; después votan los miembros.",
  "propose.membersOnly":
    "Solo los miembros pueden hacer propuestas. La red la rechazará desde esta cuenta.",
  "propose.kind": "¿Qué debe decidir la cooperativa?",
  "propose.kind.admit": "Admitir a un miembro",
  "propose.kind.remove": "Dar de baja a un miembro",
  "propose.kind.registerDataset": "Registrar un conjunto de datos",
  "propose.kind.sponsor": "Decidir sobre la solicitud de un socio",
  "propose.kind.revoke": "Revocar una autorización",
  "propose.kind.parameter": "Cambiar una regla",
  "propose.kind.membersGrant":
    "Que los miembros comparen sus cifras (una concesión a nuestros propios miembros)",
  "propose.membersGrant.intro":
    "Cada miembro verá cómo se comparan sus cifras con las del conjunto, en la página de comparativas. Nadie ve las cifras de otro miembro: las respuestas son totales por grupos, con un poco de ruido aleatorio, y se respeta el consentimiento de cada miembro. No hay tarifa.",
  "propose.title.membersGrant": "Comparativas para nuestros miembros",
  "propose.member": "Su dirección",
  "propose.member.hint": "La dirección 0x… de su billetera, como en su solicitud.",
  "propose.member.known": "Esta dirección es {who}.",
  "propose.removeWho": "Quién debe salir",
  "propose.datasetName": "Nombre del conjunto de datos",
  "propose.schemaUri": "Dónde se publica la descripción del conjunto de datos",
  "propose.schemaUri.hint": "Un enlace (https://, ipfs://, ar:// o data:) al documento de abajo.",
  "propose.schemaInline": "Usar el propio documento como enlace",
  "propose.schema": "Descripción del conjunto de datos (esquema)",
  "propose.schema.hint":
    "Los campos que aportan los miembros, sus tipos (number, integer, string, boolean, date), límites y etiquetas. Su huella va al registro de la cooperativa.",
  "propose.request": "Solicitud",
  "propose.request.none": "Ninguna solicitud espera una decisión.",
  "propose.request.choose": "Elige…",
  "propose.request.option": "Solicitud {id} de {partner}, para {purpose} (tarifa {fee})",
  "propose.decision": "Decisión que se propone",
  "propose.decision.approve": "Aprobar: dar acceso y repartir la tarifa",
  "propose.decision.reject": "Rechazar: devolver la tarifa",
  "propose.grant": "Concesión",
  "propose.grant.none": "Ninguna autorización está activa ahora.",
  "propose.grant.option": "Autorización {id} a {partner}",
  "propose.revokeReason": "Por qué debe terminar",
  "propose.parameter": "Regla",
  "propose.value": "Nuevo valor",
  "propose.titleLabel": "Título",
  "propose.titleHint":
    "Una línea corta que los miembros verán en la lista. Si la dejas vacía, se usa la sugerencia.",
  "propose.reason": "Por qué (opcional)",
  "propose.reason.hint":
    "Los miembros lo leen con la propuesta. Puedes usar **negrita**, listas (- elemento) y enlaces.",
  "propose.gasless.label":
    "Proponer sin pagar comisión (la cooperativa envía tu propuesta firmada)",
  "propose.review": "Revisar la propuesta",
  "propose.description": "Los miembros leerán:",
  "propose.summary": {
    one: "Someter esta propuesta ({count} cambio) al voto de los miembros.",
    many: "Someter esta propuesta ({count} cambios) al voto de los miembros.",
    other: "Someter esta propuesta ({count} cambios) al voto de los miembros.",
  },
  "propose.created": "Propuesta creada: ábrela para votar",
  "propose.title.admit": "Admitir a un nuevo miembro",
  "propose.title.remove": "Dar de baja al miembro n.º {id}",
  "propose.title.removeSomeone": "Dar de baja a un miembro",
  "propose.title.registerDataset": "Registrar el conjunto de datos {name}",
  "propose.title.revoke": "Revocar la autorización {id}",
  "propose.title.parameter": "Cambio: {setting}",
  "param.votingDelay": "Tiempo antes de abrir la votación",
  "param.votingPeriod": "Tiempo de votación",
  "param.lateQuorum": "Tiempo extra tras una participación tardía",
  "param.quorum": "Participación necesaria (% de miembros)",
  "param.timelockDelay": "Espera antes de que las decisiones entren en vigor",
  "param.minimumFee": "Tarifa mínima de una solicitud (ETH)",
  "param.maxDuration": "Acceso más largo que un socio puede pedir",
  "param.treasuryShare": "Parte de cada tarifa para la tesorería (%)",
  "param.revenueMode": "Cómo se reparten las tarifas",
  "param.guardian": "Guardián (puede revocar y suspender)",
  "param.operator": "Operador de la pasarela de datos",
  "param.mode.equal": "Por igual entre los miembros",
  "param.mode.byUse": "Según de quién se usaron los datos",
  "param.hint.duration": "Por ejemplo 90s, 10 min, 12h, 7d o 1d 12h.",
  "param.hint.percent": "Un porcentaje, por ejemplo 50 o 12.5.",
  "param.hint.eth": "Una cantidad en ETH, por ejemplo 0.05.",
  "param.hint.mode": "Elige una opción.",
  "param.hint.address": "Una dirección 0x… (para el guardián, vacío significa ninguno).",
  "form.error.title": "Dale un título a la propuesta.",
  "form.error.titleLong": "El título debe ser una sola línea de 200 caracteres como máximo.",
  "form.error.reasonLong": "La explicación debe tener menos de 5000 caracteres.",
  "form.error.address": "Escribe una dirección 0x… válida (40 caracteres hexadecimales).",
  "form.error.datasetName": "Dale un nombre al conjunto de datos (200 caracteres como máximo).",
  "form.error.uri": "Escribe un enlace que empiece por https://, http://, ipfs://, ar:// o data:.",
  "form.error.schemaJson": "El documento de esquema no es un JSON válido (un objeto).",
  "form.error.schemaFields": "El esquema necesita una lista de 1 a 256 campos.",
  "form.error.schemaFieldName":
    "Cada campo necesita un nombre corto de letras, cifras y _ (que no empiece por una cifra).",
  "form.error.schemaFieldType":
    "El tipo de cada campo debe ser number, integer, string, boolean o date.",
  "form.error.schemaDuplicate": "Dos campos tienen el mismo nombre.",
  "form.error.id": "Escribe un número entero a partir de 1.",
  "form.error.notPending": "Esta solicitud no espera una decisión.",
  "form.error.revokeReason": "Indica el motivo (500 caracteres como máximo).",
  "form.error.parameter": "Elige una regla.",
  "form.error.duration": "Escribe una duración como 90s, 10 min, 12h o 7d.",
  "form.error.durationRange": "Esta duración está fuera de lo que permite la regla.",
  "form.error.percent": "Escribe un porcentaje de 0 a 100 (dos decimales como máximo).",
  "form.error.quorum": "La participación necesaria es un porcentaje entero de 1 a 100.",
  "form.error.eth": "Escribe una cantidad en ETH, por ejemplo 0.05.",
  "form.error.mode": "Elige cómo se reparten las tarifas.",
  "form.error.purpose": "Elige una finalidad.",
  "form.error.membersGrant":
    "Los contratos de esta cooperativa aún no pueden hacer una concesión a sus miembros.",
  "data.title": "Mis datos",
  "data.intro":
    "Añade tus registros, mira cada vez que la respuesta a un socio los incluyó, cobra tu parte de las tarifas y decide autorización por autorización.",
  "data.benchmarkLink": "¿Cómo se comparan mis cifras?",
  "session.title": "Abrir tus datos",
  "session.explain":
    "Tu billetera firma un mensaje de acceso al servicio de datos de la cooperativa. Es gratis y no envía nada a la red.",
  "session.signIn": "Entrar en mis datos",
  "session.waiting": "Esperando a tu billetera…",
  "session.signedIn": "Has entrado en tus datos.",
  "session.signOut": "Salir",
  "session.statement": "Entrar en la pasarela de datos de la cooperativa.",
  "contribute.title": "Añadir registros",
  "contribute.noDataset": "La cooperativa aún no tiene conjuntos de datos.",
  "contribute.dataset": "Conjunto de datos",
  "contribute.form": "Un registro",
  "contribute.recordId": "Nombre del registro",
  "contribute.recordId.hint":
    "Cualquier nombre corto tuyo. Enviar otra vez un registro con el mismo nombre lo reemplaza.",
  "contribute.required": "Obligatorio.",
  "contribute.optional": "Opcional.",
  "contribute.hint.number": "Un número, como {example}.",
  "contribute.hint.integer": "Un número entero.",
  "contribute.hint.between": "De {min} a {max}.",
  "contribute.hint.atLeast": "Como mínimo {min}.",
  "contribute.hint.atMost": "Como máximo {max}.",
  "contribute.hint.identifying": "Se mantiene privado: nunca se muestra a los socios.",
  "contribute.yes": "Sí",
  "contribute.no": "No",
  "contribute.notGiven": "Sin indicar",
  "contribute.fix": {
    one: "Revisa el campo marcado abajo.",
    many: "Revisa los {count} campos marcados abajo.",
    other: "Revisa los {count} campos marcados abajo.",
  },
  "contribute.send": "Enviar este registro",
  "contribute.csv": "Muchos registros desde una hoja de cálculo",
  "contribute.csv.hint":
    "Guarda tu hoja de cálculo como CSV. Primera línea: record_id y los nombres de los campos, como en la plantilla. Los números pueden escribirse como {example}. Todos los problemas se muestran, línea por línea, antes de enviar nada.",
  "contribute.template": "Descargar una plantilla",
  "contribute.file": "Archivo CSV",
  "contribute.csv.ready": {
    one: "{count} registro revisado, listo para enviar.",
    many: "{count} registros revisados, listos para enviar.",
    other: "{count} registros revisados, listos para enviar.",
  },
  "contribute.sendCsv": "Enviar el archivo",
  "contribute.sending": "Enviando…",
  "contribute.done": {
    one: "Guardado: {count} registro nuevo o modificado.",
    many: "Guardados: {count} registros nuevos o modificados.",
    other: "Guardados: {count} registros nuevos o modificados.",
  },
  "contribute.unchanged": {
    one: "Nada nuevo: el registro ya estaba guardado tal cual.",
    many: "Nada nuevo: los {count} registros ya estaban guardados tal cual.",
    other: "Nada nuevo: los {count} registros ya estaban guardados tal cual.",
  },
  "contribute.fileProblems": {
    one: "El archivo no se envió: hay {count} problema que corregir.",
    many: "El archivo no se envió: hay {count} problemas que corregir.",
    other: "El archivo no se envió: hay {count} problemas que corregir.",
  },
  "contribute.line": "Línea",
  "contribute.problem": "Problema",
  "contribute.schemaMissing":
    "El servicio de datos de la cooperativa aún no tiene la descripción de este conjunto de datos. Cualquiera puede dársela: se comprueba con la huella del registro de la cooperativa.",
  "contribute.publishSchema": "Darle la descripción",
  "contribute.schemaPublished":
    "El servicio de datos aceptó la descripción. Ya puedes añadir registros.",
  "contribute.schemaRefused": "El servicio de datos no la aceptó. Inténtalo más tarde.",
  "contribute.untyped":
    "El servicio de datos de la cooperativa aún no conoce los campos de este conjunto, así que este formulario no puede revisar tus valores; el servicio los revisa al enviarlos.",
  "contribute.err.session": "Tu sesión de datos ha terminado. Vuelve a iniciarla y envía de nuevo.",
  "contribute.err.noSchema":
    "El servicio de datos de la cooperativa aún no conoce este conjunto de datos. Dale la descripción y envía de nuevo.",
  "contribute.err.notMember":
    "Solo los miembros añaden registros, y esta cuenta no es miembro ahora.",
  "contribute.err.rateLimited":
    "Demasiados envíos en un minuto. Espera un minuto y vuelve a enviar.",
  "contribute.err.refused":
    "El servicio de datos de la cooperativa lo rechazó. Revisa los valores y envía de nuevo.",
  "contrib.err.required": "Falta {field}.",
  "contrib.err.number": "{field}: «{value}» no es un número. Escríbelo como {example}.",
  "contrib.err.integer": "{field}: «{value}» no es un número entero.",
  "contrib.err.boolean": "{field}: «{value}» no es sí ni no.",
  "contrib.err.date": "{field}: «{value}» no es una fecha. Escríbela como {example}.",
  "contrib.err.min": "{field}: {value} está por debajo del mínimo permitido, {min}.",
  "contrib.err.max": "{field}: {value} está por encima del máximo permitido, {max}.",
  "contrib.err.enum": "{field}: «{value}» no es uno de los valores permitidos ({allowed}).",
  "contrib.err.tooLong": "{field} es demasiado largo: {max} caracteres como máximo.",
  "contrib.err.unknownColumn":
    "La columna «{column}» no es un campo de este conjunto de datos. Compara su nombre con la plantilla.",
  "contrib.err.cells": {
    one: "Esta línea tiene {count} celda y la primera línea tiene {expected}.",
    many: "Esta línea tiene {count} celdas y la primera línea tiene {expected}.",
    other: "Esta línea tiene {count} celdas y la primera línea tiene {expected}.",
  },
  "contrib.err.recordId":
    "El nombre de registro «{value}» no sirve: solo letras, cifras y . _ : -, 128 como máximo.",
  "contrib.err.duplicateId":
    "El nombre de registro «{value}» se usa dos veces (también en la línea {other}).",
  "contrib.err.noIdColumn":
    "La primera línea necesita una columna record_id. Parte de la plantilla.",
  "contrib.err.duplicateColumn": "La columna «{column}» aparece dos veces.",
  "contrib.err.quote": "Unas comillas abiertas en la línea {line} nunca se cierran.",
  "contrib.err.empty": "El archivo no tiene registros.",
  "contrib.err.tooMany": "Como máximo {max} registros por archivo: divídelo en dos.",
  "contrib.err.other": "El servicio de datos dice: {message}",
  "accesses.title": "Quién usó mis datos",
  "accesses.none": "Ninguna respuesta a un socio ha incluido tus datos todavía.",
  "accesses.failed": "No se pudo leer quién usó tus datos. Inténtalo más tarde.",
  "accesses.count": {
    one: "Las respuestas a socios incluyeron tus datos {count} vez.",
    many: "Las respuestas a socios incluyeron tus datos {count} veces.",
    other: "Las respuestas a socios incluyeron tus datos {count} veces.",
  },
  "accesses.chart": "Usos de mis datos por día",
  "accesses.entry": "{partner}, concesión {grant}, para {purpose}.",
  "accesses.rows": "Filas seudonimizadas: {fields}",
  "accesses.aggregate": "Totales por grupos: {fields}",
  "revenue.title": "Mi parte de las tarifas",
  "revenue.summary": "Recibido hasta ahora: {claimed}. Listo para cobrar: {claimable}.",
  "revenue.chart": "Cobrado por autorización (ETH)",
  "revenue.grant": "Autorización {grant}: {amount}",
  "revenue.grantShort": "Concesión {grant}",
  "revenue.claim": "Cobrar",
  "revenue.claim.summary": "Cobrar {amount}, tu parte de la tarifa de la autorización {grant}.",
  "revenue.gasless.label": "Cobrar sin pagar comisión (lo envía el repetidor de la cooperativa)",
  "revenue.claimAll": "Cobrarlo todo ({amount})",
  "revenue.claimAll.summary": {
    one: "Cobrar {amount}, tu parte de {count} permiso.",
    many: "Cobrar {amount}, tus partes de {count} permisos.",
    other: "Cobrar {amount}, tus partes de {count} permisos.",
  },
  "revenue.paidTo": "Lo envíe quien lo envíe, el dinero va a {who}.",
  "revenue.byUse.grant": {
    one: "Concesión {grant}, repartida según el uso: {amount} por {count} uso de tus datos.",
    many: "Concesión {grant}, repartida según el uso: {amount} por {count} usos de tus datos.",
    other: "Concesión {grant}, repartida según el uso: {amount} por {count} usos de tus datos.",
  },
  "revenue.byUse.summary":
    "Cobrar {amount}, tu parte de la tarifa de la concesión {grant} según cuánto se usaron tus datos. El servicio de datos de la cooperativa da la prueba; el contrato la comprueba.",
  "revenue.byUse.unavailable":
    "No se pudieron leer las partes según el uso en el servicio de datos de la cooperativa. Inténtalo más tarde.",
  "choices.title": "Autorización por autorización",
  "choices.intro":
    "Tu consentimiento por finalidad se aplica a todas las autorizaciones. Aquí puedes excluir cualquiera de ellas, sea cual sea su finalidad.",
  "choices.grant": "Autorización {grant} a {partner}, para {purpose}.",
  "choices.state.Default": "Sigue tu consentimiento por finalidad.",
  "choices.state.OptIn": "Permitiste esta autorización.",
  "choices.state.OptOut": "Excluiste esta autorización.",
  "choices.optOut": "Excluir esta autorización",
  "choices.reset": "Seguir de nuevo mi consentimiento",
  "choices.optOut.summary":
    "Dejar fuera la concesión {grant} a {partner}: sus respuestas posteriores no incluirán tus datos.",
  "choices.reset.summary":
    "La concesión {grant} a {partner} vuelve a seguir tu consentimiento por finalidad.",
  "choices.gasless.label": "Sin pagar comisión (la cooperativa envía tu elección firmada)",
  "gasless.limits": {
    one: "La cooperativa paga la comisión de red, hasta {count} cambio por hora para cada miembro.",
    many: "La cooperativa paga la comisión de red, hasta {count} cambios por hora para cada miembro.",
    other:
      "La cooperativa paga la comisión de red, hasta {count} cambios por hora para cada miembro.",
  },
  "gasless.budget":
    "Le queda el {share} de su presupuesto de comisiones para este periodo ({period}).",
  "gasless.budgetTotal": "Le queda el {share} de su presupuesto de comisiones.",
  "gasless.budgetLow":
    "Su presupuesto de comisiones casi se ha agotado: si esto falla, inténtalo más tarde o paga tú la comisión.",
  "benchmark.title": "Cómo se comparan mis cifras",
  "benchmark.intro":
    "Tus propios promedios, de los registros que añadiste, junto a las cifras del conjunto. Las cifras del conjunto vienen de la concesión de comparativas que la cooperativa da a sus miembros, con un poco de ruido aleatorio; nadie ve las cifras de otro miembro.",
  "benchmark.yours": {
    one: "Tu promedio: {value} (de {count} registro).",
    many: "Tu promedio: {value} (de {count} registros).",
    other: "Tu promedio: {value} (de {count} registros).",
  },
  "benchmark.pool": "La media del conjunto: {value}.",
  "benchmark.standing": "Estás por encima de alrededor del {share} del conjunto.",
  "benchmark.you": "Tú: {value}",
  "benchmark.noPool":
    "La cooperativa aún no ha votado una concesión de comparativas para sus miembros, así que solo se muestran tus cifras. Cualquier miembro puede proponerla.",
  "benchmark.proposeGrant": "Hacer una propuesta",
  "benchmark.unavailable":
    "El servicio de datos de la cooperativa aún no responde a las preguntas de los miembros, así que solo se muestran tus propias cifras.",
  "benchmark.from":
    "Del permiso de comparativas {id} de la cooperativa, activo hasta el {end}. Las cifras del conjunto incluyen un poco de ruido aleatorio.",
  "benchmark.poolCount": {
    one: "Unos {count} registro en el conjunto.",
    many: "Unos {count} registros en el conjunto.",
    other: "Unos {count} registros en el conjunto.",
  },
  "benchmark.noise": {
    one: "Para que las cifras de cada miembro sigan siendo privadas, la cooperativa añade un poco de ruido al azar a las del grupo: nueve de cada diez veces, el número de registros mostrado está a menos de {count} del real, y los promedios se mueven un poco con él. Tus propias cifras son exactas.",
    many: "Para que las cifras de cada miembro sigan siendo privadas, la cooperativa añade un poco de ruido al azar a las del grupo: nueve de cada diez veces, el número de registros mostrado está a menos de {count} del real, y los promedios se mueven un poco con él. Tus propias cifras son exactas.",
    other:
      "Para que las cifras de cada miembro sigan siendo privadas, la cooperativa añade un poco de ruido al azar a las del grupo: nueve de cada diez veces, el número de registros mostrado está a menos de {count} del real, y los promedios se mueven un poco con él. Tus propias cifras son exactas.",
  },
  "benchmark.chart": "{field}: tú y el conjunto",
  "benchmark.noRecords":
    "Aún no tienes registros con números en este conjunto de datos. Añade algunos en Mis datos.",
  "benchmark.failed": "No se pudieron leer las cifras. Inténtalo más tarde.",

  "privacy.title": "Tu privacidad en este periodo",
  "privacy.explain":
    "Cada respuesta sobre el conjunto usa un poco de la privacidad de cada miembro, hasta un límite que votó la cooperativa. Cuando tu límite se agota, tus datos quedan fuera de las respuestas hasta que se renueva.",
  "privacy.used": {
    one: "{share} de tu límite de privacidad usado por {count} respuesta; se renueva el {renews}.",
    many: "{share} de tu límite de privacidad usado por {count} respuestas; se renueva el {renews}.",
    other:
      "{share} de tu límite de privacidad usado por {count} respuestas; se renueva el {renews}.",
  },
  "privacy.full":
    "tu límite de privacidad de este periodo está agotado: tus datos quedan fuera de las respuestas hasta el {renews}.",
  "privacy.none": "Ninguna respuesta ha usado tu privacidad en este periodo.",
  "privacy.failed": "No se pudieron leer tus cifras de privacidad. Inténtalo más tarde.",
  "privacy.dataset": "Un conjunto de datos",
  "privacy.meter": "Privacidad usada: {dataset}",
  "partner.title": "Socios externos",
  "partner.intro":
    "Investigadores, empresas y organismos piden acceso a la cooperativa. Los miembros votan; una vez aprobado, consultas dentro de los términos que pediste.",
  "partner.grantUnknown": "Ninguna autorización tuya tiene este número.",
  "request.title": "Pedir acceso",
  "request.purpose": "Finalidad",
  "request.fields": "Campos",
  "request.shape": "Respuestas",
  "request.shape.aggregate": "Solo totales por grupos",
  "request.shape.rows": "Filas seudonimizadas",
  "request.k": "Grupo más pequeño",
  "request.k.hint": "Ninguna respuesta abarca menos miembros que esto.",
  "request.days": "Durante cuántos días",
  "request.days.hint": "Como máximo {max}.",
  "request.name": "El nombre de tu organización",
  "request.name.hint":
    "Cómo te conocerán los miembros (64 caracteres como máximo). Lo leen como tu propia declaración, con tu dirección a un clic.",
  "request.fee": "Tarifa (ETH)",
  "request.fee.hint":
    "Al menos {min}. La cooperativa la retiene hasta la votación; se devuelve si se rechaza.",
  "request.terms": "Enlace a tus condiciones",
  "request.terms.hint": "Qué harás con los datos (https://, ipfs:// o ar://).",
  "request.review": "Revisar la solicitud",
  "request.summary.aggregate":
    "Pedir {dataset} para {purpose}: totales por grupos de al menos {k} miembros de {fields}, durante {duration}. Pagas {fee} ahora, retenidos hasta que decidan los miembros.",
  "request.summary.rows":
    "Pedir {dataset} para {purpose}: filas seudonimizadas de {fields} de al menos {k} miembros, durante {duration}. Pagas {fee} ahora, retenidos hasta que decidan los miembros.",
  "request.error.fields": "Elige al menos un campo.",
  "request.error.k": "Escribe un número entero de al menos 1.",
  "request.error.days": "Escribe un número entero de días, al menos 1.",
  "request.error.name": "Indica el nombre de tu organización (64 caracteres como máximo).",
  "request.error.daysMax": "Es más de lo que permite la cooperativa.",
  "request.error.feeMin": "La tarifa es inferior al mínimo de la cooperativa.",
  "request.mine": "Mis solicitudes",
  "request.item": "Solicitud {id}",
  "request.itemTerms": "Para {purpose}, tarifa {fee}.",
  "request.terms.show": "Las condiciones pedidas",
  "request.phase.waitingSponsor": "Esperando una votación",
  "request.phase.voting": "Los miembros están votando",
  "request.phase.voteFailed": "La votación no salió adelante",
  "request.phase.votePassed": "La votación salió adelante",
  "request.phase.approved": "Concedida",
  "request.phase.rejected": "Rechazada",
  "request.phase.withdrawn": "Retirada",
  "request.phase.revoked": "Revocada",
  "request.next.waitingSponsor": "Esperando a que un miembro la someta a votación.",
  "request.next.voting": "Los miembros la están votando ahora.",
  "request.next.voteFailed":
    "La votación no salió adelante, así que aún no hay decisión: un miembro puede someterla a una nueva votación, o puedes retirarla y recuperar la tarifa.",
  "request.next.votePassed":
    "La votación salió adelante: el acceso empieza cuando se ejecute, tras el tiempo de espera de la cooperativa.",
  "request.next.approved": "Puedes consultar los datos dentro de las condiciones.",
  "request.next.rejected": "Los miembros la rechazaron. Recupera tu tarifa arriba.",
  "request.next.withdrawn": "La retiraste; su tarifa se puede recuperar.",
  "request.next.revoked": "Esta concesión fue revocada: ya no se puede usar.",
  "request.query": "Consultar los datos",
  "request.withdraw": "Retirar y recuperar la tarifa",
  "request.withdraw.summary": "Retirar la solicitud {id}; su tarifa se puede reembolsar.",
  "refund.waiting": "Tarifas por recuperar (solicitudes rechazadas o retiradas): {amount}.",
  "refund.claim": "Recuperar mis tarifas",
  "refund.summary":
    "Recuperar {amount} de tarifas retenidas por solicitudes rechazadas o retiradas.",
  "query.back": "Volver a mis solicitudes",
  "query.title": "Consulta con la autorización {id}",
  "query.active": "Activa hasta {end}.",
  "query.inactive": "No está activa (terminó el {end} o fue revocada).",
  "query.select": "Campos que devolver",
  "query.groupBy": "Agrupar por",
  "query.none": "Ninguno",
  "query.measure": "Medida",
  "query.fn.count": "Número de registros",
  "query.fn.sum": "Suma",
  "query.fn.mean": "Media",
  "query.fn.min": "Mínimo",
  "query.fn.max": "Máximo",
  "query.col.sum": "Suma de {field}",
  "query.col.mean": "Promedio de {field}",
  "query.col.min": "{field} más pequeño",
  "query.col.max": "{field} más grande",
  "query.col.quantiles": "Cuantiles de {field}",
  "query.measureField": "Del campo",
  "query.filter": "Solo los registros donde",
  "query.filter.hint": "Opcional.",
  "query.op": "Es",
  "query.op.eq": "igual a",
  "query.op.ne": "distinto de",
  "query.op.lt": "menor que",
  "query.op.lte": "como máximo",
  "query.op.gt": "mayor que",
  "query.op.gte": "como mínimo",
  "query.value": "Valor",
  "query.json": "La consulta tal como se envía",
  "query.error.select": "Elige al menos un campo que devolver.",
  "query.error.limit": "El número de filas va de 1 a 1000.",
  "query.error.measureField": "Elige el campo que medir.",
  "query.signHint":
    "Tu billetera firma exactamente esta consulta para esta autorización (gratis, no se envía nada a la red); la cooperativa registra cada respuesta.",
  "query.run": "Firmar y consultar",
  "query.sending": "Consultando el servicio de datos de la cooperativa…",
  "query.refused": "La cooperativa no respondió esta consulta.",
  "query.result": {
    one: "Respuesta: {count} línea",
    many: "Respuesta: {count} líneas",
    other: "Respuesta: {count} líneas",
  },
  "query.suppressed": {
    one: "{count} grupo tenía muy pocos miembros para mostrarse.",
    many: "{count} grupos tenían muy pocos miembros para mostrarse.",
    other: "{count} grupos tenían muy pocos miembros para mostrarse.",
  },
  "query.allSuppressed": {
    one: "Ningún grupo tenía miembros suficientes para mostrarse (el único grupo era demasiado pequeño). Agrupa por menos campos, o quita el filtro, para que cada grupo abarque más miembros.",
    many: "Ningún grupo tenía miembros suficientes para mostrarse (los {count} grupos eran demasiado pequeños). Agrupa por menos campos, o quita el filtro, para que cada grupo abarque más miembros.",
    other:
      "Ningún grupo tenía miembros suficientes para mostrarse (los {count} grupos eran demasiado pequeños). Agrupa por menos campos, o quita el filtro, para que cada grupo abarque más miembros.",
  },
  "query.noisy":
    "Estas cifras llevan un poco de ruido aleatorio, como exigen las reglas de privacidad de la cooperativa.",
  "query.logged": "Registrada como entrada {seq} del registro de accesos de la cooperativa.",
  "query.csv": "Descargar CSV",
  "refusal.cohort":
    "Hay muy pocos miembros en esta respuesta para el grupo mínimo de la concesión. Agrupa por menos campos o amplía el filtro.",
  "refusal.filter": "Este filtro aislaría a muy pocos miembros. Amplíalo o quítalo.",
  "refusal.differencing":
    "Esta consulta difiere de una anterior en muy pocos miembros, lo que podría revelar a una persona. Pregunta por un grupo más amplio.",
  "refusal.scope":
    "Un campo de esta consulta no está en las condiciones de la concesión. Usa solo los campos de la concesión.",
  "refusal.identifying": "Ese campo identifica a una persona y nunca se entrega. Déjalo fuera.",
  "refusal.rows": "Esta concesión solo permite totales por grupos. Elige totales.",
  "refusal.measure":
    "Las reglas de privacidad permiten aquí recuentos, sumas y promedios, no los valores más pequeños o más grandes. Elige otra medida.",
  "refusal.budget":
    "Esta concesión ha agotado por ahora su presupuesto de privacidad. Pregunta de nuevo en el próximo periodo, o pide a la cooperativa una nueva concesión.",
  "refusal.ended": "Esta concesión ha terminado o fue revocada. Vuelve a solicitar acceso.",
  "refusal.notYours": "Esta concesión no se hizo a tu cuenta.",
  "refusal.notYet": "Esta concesión aún no está activa. Inténtalo de nuevo cuando se ejecute.",
  "refusal.paused":
    "La cooperativa ha suspendido todas las concesiones por ahora. Inténtalo más tarde.",
  "refusal.noSchema":
    "El servicio de datos de la cooperativa aún no conoce este conjunto de datos. Pide a un miembro que le dé su descripción.",
  "refusal.invalid": "No se pudo leer la consulta. Cambia el formulario e inténtalo de nuevo.",
  "refusal.again":
    "La firma no fue aceptada (ya usada, o demasiado tarde). Firma y ejecuta de nuevo.",
  "refusal.rateLimited":
    "Demasiadas consultas en un minuto. Espera un minuto e inténtalo de nuevo.",
  "refusal.other":
    "La cooperativa rechazó esta consulta. Revisa el formulario e inténtalo de nuevo.",
  "refusal.groupNotPublic":
    "Esta concesión solo responde por grupos que la cooperativa puede nombrar de antemano. Agrupa por un campo con opciones fijas, de sí/no, o por tramos de números.",
  "refusal.groupsTooMany":
    "Esta pregunta daría demasiados grupos (1.000 como máximo). Agrupa por menos campos o usa tramos más amplios.",
  "refusal.notDeclared":
    "Esta concesión da cifras exactas solo para las tablas de sus condiciones votadas. Elige una de esas tablas.",
  "refusal.tabulationsUnknown":
    "El servicio de datos de la cooperativa aún no tiene la lista de tablas de esta concesión. Pide a la cooperativa que la entregue y vuelve a intentarlo.",
  "refusal.noGrant":
    "Esta cuenta aún no tiene ninguna concesión de la cooperativa. Solicita acceso primero.",
  "gw.session":
    "Tu sesión en el servicio de datos de la cooperativa terminó o no se completó. Vuelve a entrar.",
  "gw.noStanding":
    "Solo los miembros, y los socios con una concesión, pueden entrar en el servicio de datos de la cooperativa.",
  "gw.batch":
    "No se pudieron leer estos registros. Envía de 1 a 1.000 registros, cada uno con su número, y vuelve a intentarlo.",
  "gw.recordsUnknown":
    "Ninguno de estos registros es tuyo y sigue guardado: puede que ya se hayan borrado.",
  "gw.schema":
    "Esta descripción de los datos no coincide con la que registró la cooperativa. Usa el archivo de la propia cooperativa.",
  "gw.tabulations":
    "Esta lista de tablas no coincide con las condiciones votadas de la concesión. Usa la lista que votó la cooperativa.",
  "gw.unavailable":
    "El servicio de datos de la cooperativa no puede llegar a sus registros ahora. No se cambió nada: vuelve a intentarlo en unos minutos.",
  "gw.logBroken":
    "El registro de la cooperativa de quién usó los datos no cuadra. Avisa al operador de la cooperativa.",
  "gw.invalid":
    "El servicio de datos de la cooperativa no pudo leer esta petición. Recarga la página y vuelve a intentarlo.",
  "gw.notFound":
    "El servicio de datos de la cooperativa no conoce esto. Recarga la página y vuelve a intentarlo.",
  "gw.rateLimited": "Demasiadas peticiones en un minuto. Espera un minuto y vuelve a intentarlo.",
  "audit.title": "Auditoría",
  "audit.intro":
    "Todas las decisiones de la cooperativa, de la más reciente a la más antigua, con la transacción que las registra. Cualquiera puede comprobarlas en la cadena.",
  "audit.turnout": "Participación por propuesta",
  "audit.revenue": "Tarifas recibidas por autorización (ETH)",
  "audit.tx": "ver la transacción",
  "audit.root": "ver la huella del registro",
  "audit.block": "bloque {block}",
  "audit.more": "Ver más",
  "timeline.admission": "El miembro número {id} se unió a la cooperativa.",
  "timeline.proposal": "{title}, propuesta por {proposer}.",
  "timeline.vote.For": "{voter} votó a favor en la {proposal}.",
  "timeline.vote.Against": "{voter} votó en contra en la {proposal}.",
  "timeline.vote.Abstain": "{voter} se abstuvo en la {proposal}.",
  "timeline.queued": "{title} salió adelante y se puso en cola.",
  "timeline.executed": "{title} se ejecutó.",
  "timeline.canceled": "{title} se canceló.",
  "timeline.request": "{partner} solicitó acceso al conjunto de datos {dataset} (solicitud {id}).",
  "timeline.grant": "Autorización {id} a {partner} aprobada por votación.",
  "timeline.revocation": "Autorización {id} revocada ({reason}).",
  "timeline.anchor": "Lote {index} del registro de accesos anclado: {size} entradas.",
  "auditLog.title": "El registro de accesos",
  "auditLog.intro":
    "Compruebe, aquí en su navegador, cada prueba que da la pasarela de su registro de accesos contra los anclajes de la cadena. No se da por cierto nada de lo que dice la pasarela.",
  "auditLog.run": "Verificar el registro de accesos",
  "auditLog.reading": "Leyendo los anclajes de la cadena…",
  "auditLog.progress": "Comprobadas {done} de {total} pruebas",
  "auditLog.ok":
    "El registro de accesos es correcto: {batches} lotes en la cadena, cada uno amplía el anterior, y las {entries} entradas ancladas están en ellos.",
  "auditLog.none": "Aún no hay nada anclado en la cadena.",
  "auditLog.unanchored":
    "{count} entradas más recientes aún no están ancladas: estarán en el próximo lote.",
  "auditLog.root": {
    one: "El último lote anclado termina en la entrada {count}.",
    many: "El último lote anclado termina en la entrada {count}.",
    other: "El último lote anclado termina en la entrada {count}.",
  },
  "auditLog.failed": "El registro de accesos no es correcto.",
  "auditLog.fail.anchorRead": "No se pudieron leer los anclajes de la cadena: {message}",
  "auditLog.fail.anchorLink": "El lote {batch} de la cadena no sigue al lote anterior.",
  "auditLog.fail.rewritten":
    "El lote {batch} no amplía el lote anterior: el registro se reescribió después de anclarlo.",
  "auditLog.fail.batchRoot":
    "La raíz que da la pasarela para el lote {batch} no es la de la cadena.",
  "auditLog.fail.entryChanged":
    "La entrada {seq} (lote {batch}) fue modificada: su texto no corresponde a su hash.",
  "auditLog.fail.entryNotIn":
    "La entrada {seq} no está en el lote {batch} tal como se ancló en la cadena.",
  "auditLog.fail.entryRoot":
    "Para la entrada {seq}, la raíz que da la pasarela para el lote {batch} no es la de la cadena.",
  "auditLog.fail.entryMissing":
    "La entrada {seq} está anclada en el lote {batch}, pero la pasarela ya no la tiene.",
  "auditLog.fail.batchUnavailable":
    "La pasarela no dio ninguna prueba para el lote {batch}: {message}",
  "auditLog.fail.entryUnavailable":
    "La pasarela no dio ninguna prueba para la entrada {seq}: {message}",
  "directory.applications": "Solicitudes que esperan una votación",
  "directory.applied": "Alguien lo solicitó el {date}",
  "directory.readApplication": "Leer la solicitud",
  "directory.reason": "Solicitud: {uri}",
  "directory.propose": "Proponer su admisión",
  "directory.members": {
    one: "Todos los miembros ({count})",
    many: "Todos los miembros ({count})",
    other: "Todos los miembros ({count})",
  },
  "directory.member": "Miembro n.º {id}, desde el {date}",
  "wallet.connect": "Conectar una billetera",
  "wallet.explain":
    "Tu billetera demuestra quién eres. Al conectarla solo compartes tu dirección pública; no se firma nada.",
  "wallet.browser": "Billetera del navegador",
  "wallet.none":
    "No se encontró ninguna billetera. Instala una (por ejemplo MetaMask) para participar.",
  "wallet.demo.title": "Pruébalo con una cuenta de demostración",
  "wallet.demo.explain":
    "Cuentas de prueba de esta cooperativa local. Sus claves son públicas: solo para probar.",
  "wallet.demo.founder": "Fundador/a {n}",
  "wallet.demo.farmer": "{name} (miembro)",
  "wallet.demo.partner": "{name} (socio externo)",
  "wallet.demo.members": "Miembros",
  "wallet.demo.partners": "Socios externos",
  "wallet.demo.visitors": "No miembros",
  "wallet.demo.visitor": "Visitante {n}",
  "wallet.signedInAs": "Conectado: {who}",
  "wallet.disconnect": "Desconectar",
  "wallet.connectFailed": "No se pudo conectar:",
  "network.wrong":
    "Tu billetera está en otra red. Esta cooperativa funciona en {network}; no se firmará nada hasta que cambies.",
  "network.switch": "Cambiar a {network}",
  "tx.review.title": "Antes de firmar",
  "tx.review.meaning":
    "Tu billetera te pedirá firmar este cambio. Firmar lo registra públicamente en el registro de la cooperativa, con tu cuenta, y cuesta una pequeña comisión de red en ETH. Solo tú puedes firmarlo.",
  "tx.review.gasless":
    "Tu billetera pedirá una firma, no una transacción: no te cuesta nada. El retransmisor de la cooperativa registra luego este cambio, públicamente y con tu cuenta, una sola vez, antes de que caduque. El retransmisor paga la comisión de red y no puede cambiar lo que firmaste.",
  "tx.review.relayed":
    "El repetidor de la cooperativa lo envía por ti y paga la comisión de la red. No hay nada que firmar: el dinero va solo a tu propia cuenta.",
  "tx.review.confirm": "Firmar en mi billetera",
  "tx.review.send": "Enviarlo",
  "tx.review.cancel": "Cancelar",
  "tx.wallet": "Esperando a tu billetera… Revísala para firmar o rechazar.",
  "tx.wallet.signature":
    "Esperando a tu billetera… Pide una firma, no una transacción: sin comisión.",
  "tx.relaying": "Firmado. El retransmisor de la cooperativa lo aceptó y lo está enviando…",
  "tx.relaying.unsigned": "El repetidor de la cooperativa lo aceptó y lo está enviando…",
  "tx.mining": "Enviado. Esperando la confirmación de la red…",
  "tx.mining.relayed": "El retransmisor lo envió. Esperando la confirmación de la red…",
  "tx.success": "Hecho: ha quedado registrado.",
  "tx.record": "ver la transacción",
  "tx.error.title": "No se completó; nada cambió.",
  "tx.dismiss": "Cerrar",
  "tx.retry": "Intentar de nuevo",
  "sign.contract": "Firmado para",
  "sign.contract.value": "{coop}",
  "sign.exact": "ver el valor exacto",
  "sign.member": "Miembro",
  "sign.voter": "Votante",
  "sign.proposer": "Propuesto por",
  "sign.changes": "Cambios",
  "sign.changes.value": {
    one: "{count} cambio, como se indica arriba",
    many: "{count} cambios, como se indica arriba",
    other: "{count} cambios, como se indica arriba",
  },
  "sign.purposes": "Finalidades permitidas tras este cambio",
  "sign.purposes.none": "Ninguna",
  "sign.grant": "Autorización",
  "sign.grant.value": "Concesión {id}",
  "sign.choice": "Elección",
  "sign.proposal": "Propuesta",
  "sign.proposal.unnumbered": "Una propuesta",
  "sign.support": "Voto",
  "sign.reason": "Motivo",
  "sign.valid": "Válida para",
  "sign.valid.value": "un solo uso, dentro de la hora siguiente a la firma",
  "err.rejected":
    "Dijiste que no en tu billetera, así que nada cambió. Pulsa Reintentar cuando estés listo.",
  "err.chain": "Tu billetera está en otra red. Cambia a {network} (arriba) e inténtalo de nuevo.",
  "err.noFunds":
    "Tu cuenta no tiene ETH para la comisión de red. Marca «sin pagar comisión» si se ofrece, o pide a la cooperativa un poco de ETH.",
  "err.network": "La red de la cooperativa no respondió. Revisa tu conexión e inténtalo de nuevo.",
  "err.noVote":
    "Aún no eras miembro cuando se abrió la votación de esta propuesta, así que no tienes voto en ella.",
  "err.alreadyVoted": "Ya votaste en esta propuesta. Un voto no se puede cambiar.",
  "err.proposalStep":
    "Esta propuesta no está ahora en ese paso (la votación puede haber terminado, o ya se hizo). Recarga la página para ver dónde está.",
  "err.noProposal": "No hay ninguna propuesta con este número.",
  "err.proposeMembersOnly":
    "Solo los miembros pueden hacer propuestas, y esta cuenta no es miembro ahora.",
  "err.invalidValue":
    "Las reglas de la cooperativa no permiten este valor. Revisa el formulario y vuelve a revisarlo.",
  "err.signature":
    "La firma no fue aceptada. Inténtalo de nuevo; si sigue fallando, vuelve a conectar tu billetera.",
  "err.expired": "La firma era demasiado antigua cuando llegó. Inténtalo de nuevo.",
  "err.staleSignature":
    "Otro cambio tuyo se registró antes, así que esta firma ya no cuenta. Inténtalo de nuevo.",
  "err.coopOnly": "Solo la propia cooperativa, mediante una votación, puede hacer esto.",
  "err.noPayment": "La cooperativa no acepta pagos de esta forma. No se envió nada.",
  "err.notYet":
    "El tiempo de espera aún no ha terminado. Inténtalo de nuevo cuando acabe la cuenta atrás.",
  "err.tryLater": "Esto aún no se puede hacer. Inténtalo de nuevo en unos minutos.",
  "err.alreadyMember": "Esta dirección ya es miembro.",
  "err.movedAway":
    "Esta membresía pasó a una cuenta nueva por votación de la cooperativa. Usa tu cuenta nueva.",
  "err.notMember": "Solo los miembros pueden hacer esto, y esta cuenta no es miembro ahora.",
  "err.soulbound":
    "Una membresía no se puede regalar ni prestar: cada miembro conserva su propio voto.",
  "err.noGrant": "Esta concesión ha terminado o no existe.",
  "err.cohortTooSmall":
    "El grupo mínimo está por debajo del mínimo de la cooperativa. Súbelo y vuelve a revisar.",
  "err.datasetClosed": "Este conjunto de datos está cerrado a nuevas solicitudes. Elige otro.",
  "err.durationTooLong": "Es más tiempo del que permite la cooperativa. Pide menos días.",
  "err.feeTooLow":
    "La tarifa está por debajo del mínimo de la cooperativa. Súbela y vuelve a revisar.",
  "err.memberCannotRequest":
    "Los miembros no pueden pedir una concesión ellos mismos: un socio la pide y los miembros votan.",
  "err.notYourRequest": "Esta solicitud la hizo otra cuenta.",
  "err.nothingToRefund": "No hay ninguna tarifa que recuperar.",
  "err.paymentFailed":
    "No se pudo enviar el pago a esta cuenta. Inténtalo de nuevo o avisa a la cooperativa.",
  "err.termsChanged":
    "Las condiciones de la solicitud no son las mostradas. Recarga la página y vuelve a revisar.",
  "err.requestDecided": "Esta solicitud ya se decidió o se retiró. Recarga para ver dónde está.",
  "err.paused":
    "La cooperativa ha suspendido por ahora las concesiones y las solicitudes. Inténtalo cuando termine la suspensión.",
  "err.outdatedChoice":
    "Ya hay una decisión tuya más reciente, así que esta firma anterior no puede cambiarla. Vuelve a elegir si todavía lo quieres.",
  "err.clockAhead":
    "El reloj de tu teléfono va adelantado. Pon la fecha y la hora correctas y vuelve a intentarlo.",
  "err.nothingToCollect": "Ahora no tienes nada que cobrar aquí.",
  "err.claimClosed":
    "El plazo para cobrar esta parte terminó, y lo que no se cobró volvió a la cooperativa.",
  "err.partnerName": "Escribe el nombre de tu organización, hasta 64 letras.",
  "err.exactNeedsAggregates":
    "Las cifras exactas solo se pueden pedir con totales y promedios, no con registros sueltos. Desactiva las cifras exactas o pide totales.",
  "err.alreadyClaimed": "Ya cobraste esta parte.",
  "err.notEligible":
    "Esta parte no te corresponde: no eras miembro cuando se repartió la tarifa, o tus datos no se usaron.",
  "err.badProof":
    "El servicio de datos de la cooperativa dio una prueba que el contrato no aceptó. Inténtalo más tarde.",
  "err.relayerLimit":
    "La cooperativa ya envió tantos cambios tuyos como permite esta hora. Inténtalo más tarde, o paga tú la comisión.",
  "err.relayerBusy":
    "El retransmisor de la cooperativa está ocupado. Inténtalo de nuevo en un minuto.",
  "err.relayerBudget":
    "Al retransmisor de la cooperativa no le queda presupuesto por ahora. Inténtalo más tarde, o paga tú la comisión.",
  "err.relayerTooExpensive":
    "La comisión de red es ahora demasiado alta para el retransmisor de la cooperativa. Inténtalo más tarde.",
  "err.alreadyRelayed": "Este cambio firmado ya se envió. Recarga la página para verlo.",
  "err.relayerNotSent":
    "El retransmisor de la cooperativa no pudo enviarlo. Inténtalo de nuevo en un minuto.",
  "err.relayTimeout":
    "El retransmisor de la cooperativa aún no lo ve registrado. Vuelve a mirar en un minuto antes de reintentar.",
  "err.relayerMissing":
    "El retransmisor de la cooperativa aún no ofrece esto. Paga tú la comisión.",
  "err.internal":
    "Las reglas de la cooperativa lo rechazaron, y nada cambió. Si sigue pasando, avisa a la cooperativa (código {code}).",
  "err.unknown":
    "No se completó, y nada cambió. Inténtalo de nuevo; si sigue fallando, avisa a la cooperativa.",
  "membership.title": "Membresía",
  "membership.count": "Miembros hoy",
  "membership.connectFirst": "Conecta una billetera para ver tu propia situación.",
  "membership.youAreMember": "Eres el miembro número {id}.",
  "membership.since": "Miembro desde {date}.",
  "membership.oneVote": "Tienes un voto, como cada miembro.",
  "membership.notMember": "No eres miembro.",
  "membership.formerMember": "Fuiste el miembro número {id}; recuperarías el mismo número.",
  "membership.apply.label": "Solicitar el ingreso",
  "membership.apply.hint":
    "Un enlace a tu solicitud (una página web o un documento). Los miembros la votan.",
  "membership.apply.invalid":
    "Escribe un enlace que empiece por https://, http://, ipfs:// o ar://.",
  "membership.apply.submit": "Enviar mi solicitud",
  "membership.apply.summary": "Solicitar el ingreso en la cooperativa con la solicitud en {uri}.",
  "consent.title": "Mi consentimiento",
  "consent.intro":
    "Elige para qué se pueden usar tus datos. Nada está permitido hasta que lo digas, y puedes retirarlo cuando quieras: cada uso posterior sigue tu decisión.",
  "consent.membersOnly":
    "Solo cuenta el consentimiento de los miembros. Únete a la cooperativa para dar el tuyo.",
  "consent.allowed": "Permitido",
  "consent.notAllowed": "No permitido",
  "consent.save": "Guardar mis decisiones",
  "consent.gasless.label": "Guardar sin pagar comisión (la cooperativa envía tu cambio firmado)",
  "consent.undo": "Deshacer cambios",
  "consent.withdrawAll": "Retirar todo el consentimiento",
  "consent.summary.allow": "Permitir que tus datos se usen para: {purposes}.",
  "consent.summary.withdraw": "Dejar de permitir: {purposes}.",
  "consent.summary.withdrawAll": "Retirar tu consentimiento para todos los fines.",
};

export const esPurposes: PurposeTexts = {
  ACADEMIC_RESEARCH: {
    label: "Investigación académica",
    description:
      "Investigación de universidades e institutos de investigación, en un contexto académico.",
  },
  PUBLIC_INTEREST_RESEARCH: {
    label: "Investigación de interés público y de salud",
    description:
      "Investigación sin fines comerciales en interés público, incluida la investigación médica y de salud pública.",
  },
  MEMBER_BENCHMARKING: {
    label: "Comparativas para los miembros",
    description:
      "Comparar las cifras de un miembro con las de sus pares, como servicio a los miembros.",
  },
  MEMBER_SERVICE_IMPROVEMENT: {
    label: "Mejora de servicios para los miembros",
    description: "Mejorar los servicios que la cooperativa presta a sus miembros.",
  },
  PRODUCT_DEVELOPMENT: {
    label: "Desarrollo de productos",
    description: "Investigación y desarrollo de nuevos productos o servicios por un socio externo.",
  },
  MARKETING: {
    label: "Marketing",
    description: "Marketing, publicidad y estudios de mercado.",
  },
  AI_MODEL_TRAINING: {
    label: "Entrenamiento de modelos de IA",
    description:
      "Entrenar, ajustar o evaluar modelos de aprendizaje automático e inteligencia artificial.",
  },
  OFFICIAL_STATISTICS: {
    label: "Estadística oficial",
    description: "Elaborar estadísticas oficiales para una autoridad estadística pública.",
  },
  CREDIT_DECISIONS: {
    label: "Decisiones de crédito",
    description:
      "Evaluar la solvencia para préstamos, crédito de grupos de ahorro o crédito comercial; por ejemplo, un prestamista que consulta el historial de reembolsos de un grupo de ahorro.",
  },
};
