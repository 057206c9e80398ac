/** Français. */
import type { Messages, PurposeTexts } from "./en.ts";

export const fr: Messages = {
  "app.name": "DataCoop",
  "config.failed": "L’application n’a pas pu démarrer :",
  "lang.label": "Langue",
  "nav.label": "Principal",
  "nav.membership": "Adhésion",
  "nav.consent": "Mon consentement",
  "nav.proposals": "Votes",
  "footer.network": "Coopérative sur {network} (réseau {chainId})",
  "read.loading": "Chargement…",
  "read.failed": "Lecture du réseau impossible. Vérifiez votre connexion et réessayez.",

  "wallet.connect": "Connecter un portefeuille",
  "wallet.explain":
    "Votre portefeuille prouve qui vous êtes. Le connecter ne partage que votre adresse publique ; rien n’est signé.",
  "wallet.browser": "Portefeuille du navigateur",
  "wallet.none":
    "Aucun portefeuille trouvé. Installez-en un (par exemple MetaMask) pour participer.",
  "wallet.demo.title": "Essayer avec un compte de démonstration",
  "wallet.demo.explain":
    "Comptes de test de cette coopérative locale. Leurs clés sont publiques : pour essayer seulement.",
  "wallet.demo.founder": "Fondateur·rice {n}",
  "wallet.demo.visitor": "Visiteur·se {n}",
  "wallet.signedInAs": "Connecté : {who}",
  "wallet.disconnect": "Déconnecter",
  "wallet.connectFailed": "Connexion impossible :",

  "network.wrong":
    "Votre portefeuille est sur un autre réseau ({current}). Cette coopérative fonctionne sur {network} (réseau {chainId}) ; rien ne sera signé tant que vous n’aurez pas changé.",
  "network.switch": "Passer sur {network}",

  "tx.review.title": "Avant de signer",
  "tx.review.meaning":
    "Votre portefeuille va vous demander de signer ce changement sur {network}. Signer l’inscrit publiquement dans le registre de la coopérative, sous votre adresse, et peut coûter de petits frais de réseau. Vous seul·e pouvez le signer.",
  "tx.review.confirm": "Signer dans mon portefeuille",
  "tx.review.cancel": "Annuler",
  "tx.wallet": "En attente de votre portefeuille… Ouvrez-le pour signer ou refuser.",
  "tx.mining": "Envoyé ({hash}). En attente de la confirmation du réseau…",
  "tx.success": "C’est fait : confirmé dans le bloc {block}.",
  "tx.dismiss": "Fermer",
  "tx.retry": "Réessayer",
  "tx.error.rejected": "Vous avez refusé dans votre portefeuille ; rien n’a changé.",
  "tx.error.chain": "Votre portefeuille n’est pas sur {network} ; rien n’a été signé.",
  "tx.error.failed": "Cela n’a pas abouti ; rien n’a changé.",
  "tx.error.reason": "Motif selon les règles de la coopérative :",

  "membership.title": "Adhésion",
  "membership.count": "Membres aujourd’hui",
  "membership.connectFirst": "Connectez un portefeuille pour voir votre propre situation.",
  "membership.youAreMember": "Vous êtes le membre numéro {id}.",
  "membership.since": "Membre depuis le {date}.",
  "membership.oneVote": "Vous avez une voix, comme chaque membre.",
  "membership.notMember": "Vous n’êtes pas membre.",
  "membership.formerMember": "Vous étiez le membre numéro {id} ; vous retrouveriez le même numéro.",
  "membership.apply.label": "Demander à adhérer",
  "membership.apply.hint":
    "Un lien vers votre demande (une page web ou un document). Les membres votent dessus.",
  "membership.apply.invalid":
    "Saisissez un lien commençant par https://, http://, ipfs:// ou ar://.",
  "membership.apply.submit": "Envoyer ma demande",
  "membership.apply.summary":
    "Demander à adhérer à la coopérative avec la demande à l’adresse {uri}.",

  "consent.title": "Mon consentement",
  "consent.intro":
    "Choisissez à quoi vos données peuvent servir. Rien n’est permis tant que vous ne l’avez pas dit, et vous pouvez retirer votre accord à tout moment : chaque usage ultérieur suit votre choix.",
  "consent.membersOnly":
    "Seul le consentement des membres compte. Adhérez à la coopérative pour donner le vôtre.",
  "consent.allowed": "Autorisé",
  "consent.notAllowed": "Non autorisé",
  "consent.save": "Enregistrer mes choix",
  "consent.undo": "Annuler les changements",
  "consent.withdrawAll": "Retirer tout consentement",
  "consent.summary.allow": "Autoriser l’usage de vos données pour : {purposes}.",
  "consent.summary.withdraw": "Ne plus autoriser : {purposes}.",
  "consent.summary.withdrawAll": "Retirer votre consentement pour toutes les finalités.",

  "proposals.title": "Votes",
  "proposals.intro":
    "Chaque décision de la coopérative est un vote de ses membres. Ouvrez une proposition par son numéro.",
  "proposals.none": "Aucune proposition pour l’instant.",
  "proposals.untitled": "(sans titre)",
  "proposal.description": "De quoi il s’agit",
  "proposal.noVoteAtSnapshot":
    "Seules les personnes membres à l’ouverture du vote peuvent voter sur cette proposition.",
  "proposal.lookup.label": "Numéro de proposition",
  "proposal.lookup.open": "Ouvrir",
  "proposal.lookup.invalid":
    "Un numéro de proposition est un nombre entier (ou un nombre hexadécimal 0x…).",
  "proposal.title": "Proposition {id}",
  "proposal.unknown": "Il n’existe aucune proposition avec ce numéro.",
  "proposal.proposer": "Proposée par {address}",
  "proposal.opensIn": "Le vote ouvre dans {time}",
  "proposal.closesIn": "Le vote ferme dans {time}",
  "proposal.closed": "Le vote est clos",
  "proposal.tallies": "Votes à ce jour",
  "proposal.quorum": "Participation requise",
  "proposal.quorumProgress": "{votes} des {quorum} voix nécessaires (Pour et Abstention comptent).",
  "proposal.quorumReached": "Participation atteinte : {votes} voix, {quorum} nécessaires.",
  "proposal.quorumLater": "Connue à l’ouverture du vote.",
  "proposal.yourVote": "Votre vote",
  "proposal.alreadyVoted": "Vous avez voté sur cette proposition.",
  "proposal.vote.summary":
    "Voter « {choice} » sur la proposition {id}. Un vote ne peut pas être modifié.",

  "vote.for": "Pour",
  "vote.against": "Contre",
  "vote.abstain": "Abstention",

  "state.pending": "Pas encore ouverte",
  "state.active": "Ouverte au vote",
  "state.canceled": "Annulée",
  "state.defeated": "Rejetée",
  "state.succeeded": "Adoptée",
  "state.queued": "Adoptée, en attente d’application",
  "state.expired": "Adoptée, mais expirée",
  "state.executed": "Appliquée",

  "time.days": "j",
  "time.hours": "h",
  "time.minutes": "min",
  "time.seconds": "s",
};

export const frPurposes: PurposeTexts = {
  ACADEMIC_RESEARCH: {
    label: "Recherche universitaire",
    description:
      "Recherche menée par des universités et des instituts de recherche, dans un cadre universitaire.",
  },
  PUBLIC_INTEREST_RESEARCH: {
    label: "Recherche d’intérêt public et de santé",
    description:
      "Recherche non commerciale d’intérêt public, y compris la recherche médicale et de santé publique.",
  },
  MEMBER_BENCHMARKING: {
    label: "Comparaisons pour les membres",
    description:
      "Comparer les chiffres d’un membre à ceux de ses pairs, comme service rendu aux membres.",
  },
  MEMBER_SERVICE_IMPROVEMENT: {
    label: "Amélioration des services aux membres",
    description: "Améliorer les services que la coopérative rend à ses membres.",
  },
  PRODUCT_DEVELOPMENT: {
    label: "Développement de produits",
    description: "Recherche et développement de nouveaux produits ou services par un partenaire.",
  },
  MARKETING: {
    label: "Marketing",
    description: "Marketing, publicité et études de marché.",
  },
  AI_MODEL_TRAINING: {
    label: "Entraînement de modèles d’IA",
    description:
      "Entraîner, affiner ou évaluer des modèles d’apprentissage automatique et d’intelligence artificielle.",
  },
  OFFICIAL_STATISTICS: {
    label: "Statistique publique",
    description: "Produire des statistiques officielles pour un service statistique public.",
  },
};
