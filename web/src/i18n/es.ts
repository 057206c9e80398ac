/** Español. */
import type { Messages, PurposeTexts } from "./en.ts";

export const es: Messages = {
  "app.name": "DataCoop",
  "config.failed": "La aplicación no pudo arrancar:",
  "lang.label": "Idioma",
  "nav.label": "Principal",
  "nav.membership": "Membresía",
  "nav.consent": "Mi consentimiento",
  "nav.proposals": "Votaciones",
  "footer.network": "Cooperativa en {network} (red {chainId})",
  "read.loading": "Cargando…",
  "read.failed": "No se pudo leer la red. Revisa tu conexión e inténtalo de nuevo.",

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
  "wallet.demo.visitor": "Visitante {n}",
  "wallet.signedInAs": "Conectado: {who}",
  "wallet.disconnect": "Desconectar",
  "wallet.connectFailed": "No se pudo conectar:",

  "network.wrong":
    "Tu billetera está en otra red ({current}). Esta cooperativa funciona en {network} (red {chainId}); no se firmará nada hasta que cambies.",
  "network.switch": "Cambiar a {network}",

  "tx.review.title": "Antes de firmar",
  "tx.review.meaning":
    "Tu billetera te pedirá firmar este cambio en {network}. Al firmar, queda registrado públicamente en el registro de la cooperativa, con tu dirección, y puede costar una pequeña comisión de red. Solo tú puedes firmarlo.",
  "tx.review.confirm": "Firmar en mi billetera",
  "tx.review.cancel": "Cancelar",
  "tx.wallet": "Esperando a tu billetera… Revísala para firmar o rechazar.",
  "tx.mining": "Enviado ({hash}). Esperando la confirmación de la red…",
  "tx.success": "Hecho: confirmado en el bloque {block}.",
  "tx.dismiss": "Cerrar",
  "tx.retry": "Intentar de nuevo",
  "tx.error.rejected": "Lo rechazaste en tu billetera; no cambió nada.",
  "tx.error.chain": "Tu billetera no está en {network}; no se firmó nada.",
  "tx.error.failed": "No se pudo realizar; no cambió nada.",
  "tx.error.reason": "Motivo según las reglas de la cooperativa:",

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
  "consent.undo": "Deshacer cambios",
  "consent.withdrawAll": "Retirar todo el consentimiento",
  "consent.summary.allow": "Permitir que tus datos se usen para: {purposes}.",
  "consent.summary.withdraw": "Dejar de permitir: {purposes}.",
  "consent.summary.withdrawAll": "Retirar tu consentimiento para todos los fines.",

  "proposals.title": "Votaciones",
  "proposals.intro":
    "Cada decisión de la cooperativa es una votación de sus miembros. Abre una propuesta por su número.",
  "proposals.none": "Todavía no hay propuestas.",
  "proposals.untitled": "(sin título)",
  "proposal.description": "De qué trata",
  "proposal.noVoteAtSnapshot":
    "Solo pueden votar quienes eran miembros cuando se abrió la votación.",
  "proposal.lookup.label": "Número de propuesta",
  "proposal.lookup.open": "Abrir",
  "proposal.lookup.invalid": "Un número de propuesta es un número entero (o hexadecimal 0x…).",
  "proposal.title": "Propuesta {id}",
  "proposal.unknown": "No existe ninguna propuesta con este número.",
  "proposal.proposer": "Propuesta por {address}",
  "proposal.opensIn": "La votación abre en {time}",
  "proposal.closesIn": "La votación cierra en {time}",
  "proposal.closed": "La votación está cerrada",
  "proposal.tallies": "Votos hasta ahora",
  "proposal.quorum": "Participación necesaria",
  "proposal.quorumProgress":
    "{votes} de los {quorum} votos necesarios (cuentan A favor y Abstención).",
  "proposal.quorumReached": "Participación alcanzada: {votes} votos, {quorum} necesarios.",
  "proposal.quorumLater": "Se conocerá cuando abra la votación.",
  "proposal.yourVote": "Tu voto",
  "proposal.alreadyVoted": "Ya has votado en esta propuesta.",
  "proposal.vote.summary": "Votar «{choice}» en la propuesta {id}. Un voto no se puede cambiar.",

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

  "time.days": "d",
  "time.hours": "h",
  "time.minutes": "min",
  "time.seconds": "s",
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
};
