/** Français. */
import type { Messages, PurposeTexts } from "./en.ts";

export const fr: Messages = {
  "app.name": "DataCoop",
  "config.failed": "L’application n’a pas pu démarrer :",
  "lang.label": "Langue",
  "nav.label": "Principal",
  "nav.skip": "Aller au contenu",
  "nav.home": "Accueil",
  "nav.membership": "Membres",
  "nav.consent": "Mon consentement",
  "nav.proposals": "Votes",
  "nav.data": "Mes données",
  "nav.partner": "Partenaires",
  "nav.audit": "Audit",
  "footer.network": "Coopérative sur {network}",
  "read.loading": "Chargement…",
  "read.failed": "Lecture du réseau impossible. Vérifiez votre connexion et réessayez.",
  "indexer.failed":
    "Impossible de joindre l'index de la coopérative. Vérifiez votre connexion et réessayez.",
  "time.underMinute": "moins d'une minute",
  "reveal.address": "voir l'adresse",
  "reveal.details": "voir le détail",
  "reveal.hide": "masquer",
  "who.you": "vous",
  "who.youMember": "vous (membre n° {id})",
  "who.member": "le membre n° {id}",
  "who.partnerNamed": "« {name} » (nom donné par le partenaire lui-même)",
  "who.partnerUnnamed": "un partenaire qui n'a pas donné de nom",
  "who.applicant": "la personne qui a candidaté le {date}",
  "who.outside": "quelqu'un d'extérieur à la coopérative",
  "who.contract.timelock": "la trésorerie de la coopérative",
  "who.contract.membership": "le registre des membres de la coopérative",
  "who.contract.governor": "les règles de vote de la coopérative",
  "who.contract.registry": "le registre des accès aux données de la coopérative",
  "who.contract.consent": "le registre des consentements de la coopérative",
  "who.contract.revenue": "le partage des redevances de la coopérative",
  "who.contract.accessLog": "le journal des accès de la coopérative",
  "home.intro":
    "Ici, les membres mettent leurs données en commun et décident ensemble, un membre une voix, qui peut les utiliser et pour quoi. Les redevances payées par les partenaires sont partagées entre les membres.",
  "home.connect": "Connectez un portefeuille (en haut de la page) pour voir ce qui vous attend.",
  "home.member": "Vous êtes le membre numéro {id}.",
  "home.notMember": "Vous n'êtes pas membre de cette coopérative.",
  "home.apply": "Comment adhérer",
  "home.waiting": "En attente de votre vote",
  "home.waiting.none": "Rien n'attend votre vote.",
  "home.waiting.count": {
    one: "{count} vote vous attend.",
    many: "{count} votes vous attendent.",
    other: "{count} votes vous attendent.",
  },
  "home.voteNow": "Voter maintenant",
  "home.open": "Votes ouverts",
  "home.open.none": "Aucun vote n'est ouvert en ce moment.",
  "home.open.allShown": "Tous les votes ouverts sont ci-dessus.",
  "home.allVotes": "Tous les votes",
  "home.fees": "Redevances à encaisser",
  "home.fees.amount": "{amount} vous attendent.",
  "home.fees.collect": "Les encaisser dans Mes données",
  "home.next": "Ce que vous pouvez faire",
  "home.link.consent": "Choisir à quoi vos données peuvent servir",
  "home.link.data": "Ajouter des relevés et voir qui a utilisé vos données",
  "home.link.benchmark": "Voir où vous vous situez par rapport à l'ensemble",
  "home.link.propose": "Faire une proposition",
  "summary.tallies": "Pour {for}, contre {against}, abstention {abstain}",
  "summary.quorumReached": "participation atteinte",
  "summary.quorumMissing": {
    one: "il manque {count} voix",
    many: "il manque {count} voix",
    other: "il manque {count} voix",
  },
  "proposals.title": "Votes",
  "proposals.intro":
    "Chaque décision de la coopérative est un vote de ses membres. Ouvrez une proposition pour la lire et voter.",
  "proposals.none": "Aucune proposition pour l’instant.",
  "proposals.untitled": "(sans titre)",
  "proposals.turnout": "Participation aux derniers votes",
  "proposal.number": "Proposition {number}",
  "proposal.lookup.label": "Ouvrir une proposition par son numéro",
  "proposal.lookup.open": "Ouvrir",
  "proposal.lookup.invalid": "Un numéro de proposition est un nombre entier, comme 7.",
  "proposal.unknown": "Il n’existe aucune proposition avec ce numéro.",
  "proposal.proposer": "Proposée par {who}",
  "proposal.opensIn": "Le vote ouvre dans {time}",
  "proposal.closesIn": "Le vote ferme dans {time}",
  "proposal.closed": "Le vote est clos",
  "proposal.willDo": "Ce qu'elle fera",
  "proposal.description": "De quoi il s’agit",
  "proposal.tallies": "Votes à ce jour",
  "proposal.quorum": "Participation requise",
  "proposal.quorumProgress": "{votes} des {quorum} voix nécessaires (Pour et Abstention comptent).",
  "proposal.quorumReached": "Participation atteinte : {votes} voix, {quorum} nécessaires.",
  "proposal.quorumLater": "Connue à l’ouverture du vote.",
  "proposal.noVoteAtSnapshot":
    "Seules les personnes membres à l’ouverture du vote peuvent voter sur cette proposition.",
  "proposal.yourVote": "Votre vote",
  "proposal.alreadyVoted": "Vous avez voté sur cette proposition.",
  "proposal.youVoted": "Vous avez voté « {choice} ».",
  "proposal.yourReason": "Votre motif : « {reason} »",
  "proposal.reason": "Votre motif (facultatif)",
  "proposal.reason.hint": "Les autres membres peuvent le lire avec votre vote.",
  "proposal.gasless.label": "Voter sans payer de frais (la coopérative envoie votre vote signé)",
  "proposal.vote.summary": "Voter « {choice} » sur la {number}. Un vote ne peut pas être changé.",
  "proposal.vote.summaryReason":
    "Voter « {choice} » sur la {number}, en disant : « {reason} ». Un vote ne peut pas être changé.",
  "proposal.votes": {
    one: "Qui a voté ({count} membre)",
    many: "Qui a voté ({count} membres)",
    other: "Qui a voté ({count} membres)",
  },
  "proposal.voteLine": "{voter} : {choice}",
  "proposal.carryOut": "L'exécuter",
  "proposal.queue": "La mettre en file",
  "proposal.queue.hint":
    "Le vote est adopté. Mettez-la en file pour lancer le délai d'attente ; ensuite, n'importe qui peut l'exécuter.",
  "proposal.queue.summary": "Mettre en file la {number} : son délai d'attente commence.",
  "proposal.execute": "L'exécuter",
  "proposal.execute.ready": "Le délai d'attente est écoulé : elle peut être exécutée maintenant.",
  "proposal.execute.wait": "Elle pourra être exécutée dans {time}.",
  "proposal.execute.summary": "Exécuter la {number} : ses changements prennent effet.",
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
  "calls.none": "Rien : cette proposition ne change rien.",
  "calls.warning": "À vérifier attentivement :",
  "call.admit": "Admettre {member} comme membre.",
  "call.remove": "Exclure {member} de la coopérative.",
  "call.registerDataset": "Enregistrer le jeu de données « {name} » avec les champs {fields}.",
  "call.retireDataset": "Retirer le jeu de données {id} : plus de nouvelles demandes.",
  "call.approve":
    "Approuver la demande d'accès {id} : le partenaire obtient l'accès et les frais sont partagés.",
  "call.reject": "Refuser la demande d'accès {id} : le partenaire récupère ses frais.",
  "call.revoke": "Révoquer définitivement l'autorisation {id} (motif : {reason}).",
  "call.grantToMembers":
    "Donner aux membres de la coopérative un accès pour se comparer, sans frais.",
  "call.pause": "Suspendre toutes les autorisations et les nouvelles demandes.",
  "call.unpause": "Lever la suspension des autorisations et des demandes.",
  "call.setGuardian": "Nommer {address} gardien, qui peut révoquer des autorisations et suspendre.",
  "call.setMinimumFee": "Fixer la redevance minimale des nouvelles demandes à {amount}.",
  "call.setMaxDuration": "Fixer l'accès le plus long qu'un partenaire peut demander à {duration}.",
  "call.setVotingDelay": "Fixer le délai avant l'ouverture du vote à {duration}.",
  "call.setVotingPeriod": "Fixer la durée du vote à {duration}.",
  "call.setLateQuorum":
    "Fixer le temps de vote supplémentaire après une participation tardive à {duration}.",
  "call.setQuorum": "Fixer la participation requise à {percent} % des membres.",
  "call.setTimelockDelay": "Fixer le délai avant que les décisions prennent effet à {duration}.",
  "call.updateTimelock":
    "Confier la trésorerie et les pouvoirs de la coopérative à un autre contrat, {address}.",
  "call.grantRole": "Donner le rôle {role} sur la trésorerie à {account}.",
  "call.revokeRole": "Retirer le rôle {role} sur la trésorerie à {account}.",
  "call.setModeEqual":
    "Partager les frais des futures autorisations à parts égales entre les membres.",
  "call.setModeByUse":
    "Partager les frais des futures autorisations selon les données réellement utilisées.",
  "call.setTreasuryShare":
    "Garder {percent} % de chaque frais dans la trésorerie de la coopérative.",
  "call.setOperator": "Nommer {address} opérateur de la passerelle de données.",
  "call.payment":
    "Payer {amount} depuis la trésorerie à {to}, qui n'est pas un contrat de la coopérative.",
  "call.unknownTarget":
    "Appeler {target}, qui n'est pas un contrat de la coopérative : son effet est inconnu.",
  "call.undecodable":
    "Appeler le contrat {contract} avec des données qui ne sont aucune de ses fonctions.",
  "call.withPayment": "Envoyer {amount} avec un appel à {fn}.",
  "call.other": "Faire un changement ({fn}, {contract}) qui n'a pas de formulaire ici.",
  "calls.terms.aggregate":
    "Conditions : {partner} obtient des totaux par groupes d'au moins {k} membres sur {fields} de « {dataset} », pour {purpose}, pendant {duration} ; frais {fee} ; conditions sur {terms}.",
  "calls.terms.members":
    "Conditions : chaque membre obtient des totaux par groupes d'au moins {k} membres sur {fields} de « {dataset} », pour {purpose}, pendant {duration}.",
  "calls.terms.rows":
    "Conditions : {partner} obtient des lignes pseudonymisées de {fields} d'au moins {k} membres de « {dataset} », pour {purpose}, pendant {duration} ; frais {fee} ; conditions sur {terms}.",
  "propose.new": "Faire une proposition",
  "propose.heading": "Nouvelle proposition",
  "propose.intro":
    "Choisissez ce que la coopérative doit décider et remplissez le formulaire. Vous verrez exactement ce que fera la proposition avant de signer ; ensuite, les membres votent.",
  "propose.membersOnly":
    "Seuls les membres peuvent faire des propositions. Le réseau la refusera depuis ce compte.",
  "propose.kind": "Que doit décider la coopérative ?",
  "propose.kind.admit": "Admettre un membre",
  "propose.kind.remove": "Exclure un membre",
  "propose.kind.registerDataset": "Enregistrer un jeu de données",
  "propose.kind.sponsor": "Décider d'une demande de partenaire",
  "propose.kind.revoke": "Révoquer une autorisation",
  "propose.kind.parameter": "Changer une règle",
  "propose.kind.membersGrant":
    "Permettre aux membres de comparer leurs chiffres (une autorisation pour nos propres membres)",
  "propose.membersGrant.intro":
    "Chaque membre verra comment ses chiffres se comparent à ceux de l'ensemble, sur la page de comparaison. Personne ne voit les chiffres d'un autre membre : les réponses sont des totaux par groupes, avec un peu de bruit aléatoire, et le consentement de chacun s'applique. Sans frais.",
  "propose.title.membersGrant": "Comparaisons pour nos membres",
  "propose.member": "Son adresse",
  "propose.member.hint": "L'adresse 0x… de son portefeuille, comme dans sa candidature.",
  "propose.member.known": "Cette adresse est {who}.",
  "propose.removeWho": "Qui doit partir",
  "propose.datasetName": "Nom du jeu de données",
  "propose.schemaUri": "Où la description du jeu de données est publiée",
  "propose.schemaUri.hint":
    "Un lien (https://, ipfs://, ar:// ou data:) vers le document ci-dessous.",
  "propose.schemaInline": "Utiliser le document lui-même comme lien",
  "propose.schema": "Description du jeu de données (schéma)",
  "propose.schema.hint":
    "Les champs que les membres apportent, leurs types (number, integer, string, boolean, date), limites et libellés. Son empreinte va dans le registre de la coopérative.",
  "propose.request": "Demande",
  "propose.request.none": "Aucune demande n'attend de décision.",
  "propose.request.choose": "Choisir…",
  "propose.request.option": "Demande {id} de {partner}, pour {purpose} (redevance {fee})",
  "propose.decision": "Décision proposée",
  "propose.decision.approve": "Approuver : donner l'accès et partager les frais",
  "propose.decision.reject": "Refuser : rembourser les frais",
  "propose.grant": "Autorisation",
  "propose.grant.none": "Aucune autorisation n'est active en ce moment.",
  "propose.grant.option": "Autorisation {id} à {partner}",
  "propose.revokeReason": "Pourquoi elle doit prendre fin",
  "propose.parameter": "Règle",
  "propose.value": "Nouvelle valeur",
  "propose.titleLabel": "Titre",
  "propose.titleHint":
    "Une ligne courte que les membres verront dans la liste. Laissé vide, la suggestion est utilisée.",
  "propose.reason": "Pourquoi (facultatif)",
  "propose.reason.hint":
    "Les membres le lisent avec la proposition. Vous pouvez utiliser **gras**, des listes (- élément) et des liens.",
  "propose.gasless.label":
    "Proposer sans payer de frais (la coopérative envoie votre proposition signée)",
  "propose.review": "Relire la proposition",
  "propose.description": "Les membres liront :",
  "propose.summary": {
    one: "Soumettre cette proposition ({count} changement) au vote des membres.",
    many: "Soumettre cette proposition ({count} changements) au vote des membres.",
    other: "Soumettre cette proposition ({count} changements) au vote des membres.",
  },
  "propose.created": "Proposition créée : ouvrez-la pour voter",
  "propose.title.admit": "Admettre un nouveau membre",
  "propose.title.remove": "Retirer le membre n° {id}",
  "propose.title.removeSomeone": "Retirer un membre",
  "propose.title.registerDataset": "Enregistrer le jeu de données {name}",
  "propose.title.revoke": "Révoquer l'autorisation {id}",
  "propose.title.parameter": "Changement : {setting}",
  "param.votingDelay": "Délai avant l'ouverture du vote",
  "param.votingPeriod": "Durée du vote",
  "param.lateQuorum": "Temps supplémentaire après une participation tardive",
  "param.quorum": "Participation requise (% des membres)",
  "param.timelockDelay": "Délai avant que les décisions prennent effet",
  "param.minimumFee": "Frais minimaux d'une demande (ETH)",
  "param.maxDuration": "Accès le plus long qu'un partenaire peut demander",
  "param.treasuryShare": "Part de chaque frais pour la trésorerie (%)",
  "param.revenueMode": "Partage des frais",
  "param.guardian": "Gardien (peut révoquer et suspendre)",
  "param.operator": "Opérateur de la passerelle de données",
  "param.mode.equal": "À parts égales entre les membres",
  "param.mode.byUse": "Selon les données réellement utilisées",
  "param.hint.duration": "Par exemple 90s, 10 min, 12h, 7d ou 1d 12h.",
  "param.hint.percent": "Un pourcentage, par exemple 50 ou 12.5.",
  "param.hint.eth": "Un montant en ETH, par exemple 0.05.",
  "param.hint.mode": "Choisissez une option.",
  "param.hint.address": "Une adresse 0x… (pour le gardien, vide signifie aucun).",
  "form.error.title": "Donnez un titre à la proposition.",
  "form.error.titleLong": "Le titre tient sur une ligne de 200 caractères au plus.",
  "form.error.reasonLong": "L'explication doit faire moins de 5 000 caractères.",
  "form.error.address": "Saisissez une adresse 0x… valide (40 caractères hexadécimaux).",
  "form.error.datasetName": "Donnez un nom au jeu de données (200 caractères au plus).",
  "form.error.uri": "Saisissez un lien commençant par https://, http://, ipfs://, ar:// ou data:.",
  "form.error.schemaJson": "Le document de schéma n'est pas un JSON valide (un objet).",
  "form.error.schemaFields": "Le schéma doit contenir une liste de 1 à 256 champs.",
  "form.error.schemaFieldName":
    "Chaque champ doit avoir un nom court fait de lettres, de chiffres et de _ (sans commencer par un chiffre).",
  "form.error.schemaFieldType":
    "Le type de chaque champ doit être number, integer, string, boolean ou date.",
  "form.error.schemaDuplicate": "Deux champs portent le même nom.",
  "form.error.id": "Saisissez un nombre entier à partir de 1.",
  "form.error.notPending": "Cette demande n'attend pas de décision.",
  "form.error.revokeReason": "Indiquez pourquoi (500 caractères au plus).",
  "form.error.parameter": "Choisissez une règle.",
  "form.error.duration": "Saisissez une durée comme 90s, 10 min, 12h ou 7d.",
  "form.error.durationRange": "Cette durée sort de ce que la règle permet.",
  "form.error.percent": "Saisissez un pourcentage de 0 à 100 (deux décimales au plus).",
  "form.error.quorum": "La participation requise est un pourcentage entier de 1 à 100.",
  "form.error.eth": "Saisissez un montant en ETH, par exemple 0.05.",
  "form.error.mode": "Choisissez comment les frais sont partagés.",
  "form.error.purpose": "Choisissez une finalité.",
  "form.error.membersGrant":
    "Les contrats de cette coopérative ne peuvent pas encore accorder d'autorisation à ses membres.",
  "data.title": "Mes données",
  "data.intro":
    "Ajoutez vos enregistrements, voyez chaque fois qu'une réponse à un partenaire les a inclus, touchez votre part des frais et choisissez autorisation par autorisation.",
  "data.benchmarkLink": "Où se situent mes chiffres ?",
  "session.title": "Ouvrir vos données",
  "session.explain":
    "Votre portefeuille signe un message de connexion au service de données de la coopérative. C'est gratuit et rien n'est envoyé au réseau.",
  "session.signIn": "Me connecter à mes données",
  "session.waiting": "En attente de votre portefeuille…",
  "session.signedIn": "Connecté à vos données.",
  "session.signOut": "Se déconnecter",
  "session.statement": "Se connecter à la passerelle de données de la coopérative.",
  "contribute.title": "Ajouter des enregistrements",
  "contribute.noDataset": "La coopérative n'a pas encore de jeu de données.",
  "contribute.dataset": "Jeu de données",
  "contribute.form": "Un relevé",
  "contribute.recordId": "Nom de l'enregistrement",
  "contribute.recordId.hint":
    "Un nom court de votre choix. Renvoyer un relevé du même nom le remplace.",
  "contribute.required": "Obligatoire.",
  "contribute.optional": "Facultatif.",
  "contribute.hint.number": "Un nombre, comme {example}.",
  "contribute.hint.integer": "Un nombre entier.",
  "contribute.hint.between": "De {min} à {max}.",
  "contribute.hint.atLeast": "Au moins {min}.",
  "contribute.hint.atMost": "Au plus {max}.",
  "contribute.hint.identifying": "Reste privé : jamais montré aux partenaires.",
  "contribute.yes": "Oui",
  "contribute.no": "Non",
  "contribute.notGiven": "Non renseigné",
  "contribute.fix": {
    one: "Vérifiez le champ signalé ci-dessous.",
    many: "Vérifiez les {count} champs signalés ci-dessous.",
    other: "Vérifiez les {count} champs signalés ci-dessous.",
  },
  "contribute.send": "Envoyer cet enregistrement",
  "contribute.csv": "Plusieurs relevés depuis un tableur",
  "contribute.csv.hint":
    "Enregistrez votre tableur au format CSV. Première ligne : record_id et les noms des champs, comme dans le modèle. Les nombres peuvent s'écrire comme {example}. Chaque problème est signalé, ligne par ligne, avant tout envoi.",
  "contribute.template": "Télécharger un modèle",
  "contribute.file": "Fichier CSV",
  "contribute.csv.ready": {
    one: "{count} relevé vérifié, prêt à envoyer.",
    many: "{count} relevés vérifiés, prêts à envoyer.",
    other: "{count} relevés vérifiés, prêts à envoyer.",
  },
  "contribute.sendCsv": "Envoyer le fichier",
  "contribute.sending": "Envoi…",
  "contribute.done": {
    one: "Enregistré : {count} relevé nouveau ou modifié.",
    many: "Enregistrés : {count} relevés nouveaux ou modifiés.",
    other: "Enregistrés : {count} relevés nouveaux ou modifiés.",
  },
  "contribute.unchanged": {
    one: "Rien de nouveau : le relevé était déjà enregistré tel quel.",
    many: "Rien de nouveau : les {count} relevés étaient déjà enregistrés tels quels.",
    other: "Rien de nouveau : les {count} relevés étaient déjà enregistrés tels quels.",
  },
  "contribute.fileProblems": {
    one: "Le fichier n'a pas été envoyé : {count} problème à corriger.",
    many: "Le fichier n'a pas été envoyé : {count} problèmes à corriger.",
    other: "Le fichier n'a pas été envoyé : {count} problèmes à corriger.",
  },
  "contribute.line": "Ligne",
  "contribute.problem": "Problème",
  "contribute.schemaMissing":
    "Le service de données de la coopérative n'a pas encore la description de ce jeu de données. Tout le monde peut la lui donner : elle est vérifiée avec l'empreinte du registre de la coopérative.",
  "contribute.publishSchema": "Lui donner la description",
  "contribute.schemaPublished":
    "Le service de données a accepté la description. Vous pouvez ajouter des relevés.",
  "contribute.schemaRefused": "Le service de données ne l'a pas acceptée. Réessayez plus tard.",
  "contribute.untyped":
    "Le service de données de la coopérative ne connaît pas encore les champs de ce jeu de données : ce formulaire ne peut pas vérifier vos valeurs, le service les vérifie à l'envoi.",
  "contribute.err.session":
    "Votre connexion à vos données a expiré. Reconnectez-vous, puis renvoyez.",
  "contribute.err.noSchema":
    "Le service de données de la coopérative ne connaît pas encore ce jeu de données. Donnez-lui la description, puis renvoyez.",
  "contribute.err.notMember":
    "Seuls les membres ajoutent des relevés, et ce compte n'est pas membre actuellement.",
  "contribute.err.rateLimited": "Trop d'envois en une minute. Attendez une minute, puis renvoyez.",
  "contribute.err.refused":
    "Le service de données de la coopérative l'a refusé. Vérifiez les valeurs et renvoyez.",
  "contrib.err.required": "{field} manque.",
  "contrib.err.number": "{field} : « {value} » n'est pas un nombre. Écrivez-le comme {example}.",
  "contrib.err.integer": "{field} : « {value} » n'est pas un nombre entier.",
  "contrib.err.boolean": "{field} : « {value} » n'est ni oui ni non.",
  "contrib.err.date": "{field} : « {value} » n'est pas une date. Écrivez-la comme {example}.",
  "contrib.err.min": "{field} : {value} est en dessous du minimum permis, {min}.",
  "contrib.err.max": "{field} : {value} est au-dessus du maximum permis, {max}.",
  "contrib.err.enum": "{field} : « {value} » ne fait pas partie des valeurs permises ({allowed}).",
  "contrib.err.tooLong": "{field} est trop long : {max} caractères au plus.",
  "contrib.err.unknownColumn":
    "La colonne « {column} » n'est pas un champ de ce jeu de données. Comparez son nom avec le modèle.",
  "contrib.err.cells": {
    one: "Cette ligne a {count} cellule alors que la première ligne en a {expected}.",
    many: "Cette ligne a {count} cellules alors que la première ligne en a {expected}.",
    other: "Cette ligne a {count} cellules alors que la première ligne en a {expected}.",
  },
  "contrib.err.recordId":
    "Le nom de relevé « {value} » n'est pas utilisable : lettres, chiffres et . _ : - seulement, 128 au plus.",
  "contrib.err.duplicateId":
    "Le nom de relevé « {value} » est utilisé deux fois (aussi à la ligne {other}).",
  "contrib.err.noIdColumn": "La première ligne doit avoir une colonne record_id. Partez du modèle.",
  "contrib.err.duplicateColumn": "La colonne « {column} » apparaît deux fois.",
  "contrib.err.quote": "Un guillemet ouvert à la ligne {line} n'est jamais fermé.",
  "contrib.err.empty": "Le fichier n'a aucun relevé.",
  "contrib.err.tooMany": "{max} relevés par fichier au plus : coupez-le en deux.",
  "contrib.err.other": "Le service de données indique : {message}",
  "accesses.title": "Qui a utilisé mes données",
  "accesses.none": "Aucune réponse à un partenaire n'a encore inclus vos données.",
  "accesses.failed": "Impossible de lire qui a utilisé vos données. Réessayez plus tard.",
  "accesses.count": {
    one: "Les réponses aux partenaires ont inclus vos données {count} fois.",
    many: "Les réponses aux partenaires ont inclus vos données {count} fois.",
    other: "Les réponses aux partenaires ont inclus vos données {count} fois.",
  },
  "accesses.chart": "Utilisations de mes données par jour",
  "accesses.entry": "{partner}, autorisation {grant}, pour {purpose}.",
  "accesses.rows": "Lignes pseudonymisées : {fields}",
  "accesses.aggregate": "Totaux par groupes : {fields}",
  "revenue.title": "Ma part des frais",
  "revenue.summary": "Reçu jusqu'ici : {claimed}. Prêt à toucher : {claimable}.",
  "revenue.chart": "Touché par autorisation (ETH)",
  "revenue.grant": "Autorisation {grant} : {amount}",
  "revenue.grantShort": "Autorisation {grant}",
  "revenue.claim": "Toucher",
  "revenue.claim.summary": "Toucher {amount}, votre part des frais de l'autorisation {grant}.",
  "revenue.gasless.label": "Encaisser sans payer de frais (le relais de la coopérative l'envoie)",
  "revenue.claimAll": "Tout encaisser ({amount})",
  "revenue.claimAll.summary": {
    one: "Encaisser {amount}, votre part de {count} accès.",
    many: "Encaisser {amount}, vos parts de {count} accès.",
    other: "Encaisser {amount}, vos parts de {count} accès.",
  },
  "revenue.paidTo": "Qui que ce soit qui l'envoie, l'argent va à {who}.",
  "revenue.byUse.grant": {
    one: "Autorisation {grant}, partagée selon l'usage : {amount} pour {count} utilisation de vos données.",
    many: "Autorisation {grant}, partagée selon l'usage : {amount} pour {count} utilisations de vos données.",
    other:
      "Autorisation {grant}, partagée selon l'usage : {amount} pour {count} utilisations de vos données.",
  },
  "revenue.byUse.summary":
    "Encaisser {amount}, votre part de la redevance de l'autorisation {grant} selon l'usage de vos données. Le service de données de la coopérative fournit la preuve ; le contrat la vérifie.",
  "revenue.byUse.unavailable":
    "Impossible de lire les parts selon l'usage auprès du service de données de la coopérative. Réessayez plus tard.",
  "choices.title": "Autorisation par autorisation",
  "choices.intro":
    "Votre consentement par finalité s'applique à toutes les autorisations. Ici, vous pouvez exclure n'importe laquelle, quelle que soit sa finalité.",
  "choices.grant": "Autorisation {grant} à {partner}, pour {purpose}.",
  "choices.state.Default": "Suit votre consentement par finalité.",
  "choices.state.OptIn": "Vous avez autorisé celle-ci.",
  "choices.state.OptOut": "Vous l'avez exclue.",
  "choices.optOut": "Exclure cette autorisation",
  "choices.reset": "Suivre à nouveau mon consentement",
  "choices.optOut.summary":
    "Exclure l'autorisation {grant} accordée à {partner} : ses réponses suivantes n'incluront pas vos données.",
  "choices.reset.summary":
    "L'autorisation {grant} accordée à {partner} suit de nouveau votre consentement par finalité.",
  "choices.gasless.label": "Sans payer de frais (la coopérative envoie votre choix signé)",
  "gasless.limits": {
    one: "La coopérative paie les frais de réseau, jusqu'à {count} changement par heure pour chaque membre.",
    many: "La coopérative paie les frais de réseau, jusqu'à {count} changements par heure pour chaque membre.",
    other:
      "La coopérative paie les frais de réseau, jusqu'à {count} changements par heure pour chaque membre.",
  },
  "gasless.budget": "Il lui reste {share} de son budget de frais pour cette période ({period}).",
  "gasless.budgetTotal": "Il lui reste {share} de son budget de frais.",
  "gasless.budgetLow":
    "Son budget de frais est presque épuisé : si cela échoue, réessayez plus tard ou payez les frais vous-même.",
  "benchmark.title": "Où se situent mes chiffres",
  "benchmark.intro":
    "Vos propres moyennes, d'après les relevés que vous avez ajoutés, à côté des chiffres de l'ensemble. Ceux-ci viennent de l'autorisation de comparaison que la coopérative accorde à ses membres, avec un peu de bruit aléatoire ; personne ne voit les chiffres d'un autre membre.",
  "benchmark.yours": {
    one: "Votre moyenne : {value} (sur {count} relevé).",
    many: "Votre moyenne : {value} (sur {count} relevés).",
    other: "Votre moyenne : {value} (sur {count} relevés).",
  },
  "benchmark.pool": "La moyenne de l'ensemble : {value}.",
  "benchmark.standing": "Vous êtes au-dessus d'environ {share} de l'ensemble.",
  "benchmark.you": "Vous : {value}",
  "benchmark.noPool":
    "La coopérative n'a pas encore voté d'autorisation de comparaison pour ses membres : seuls vos propres chiffres sont affichés. Tout membre peut la proposer.",
  "benchmark.proposeGrant": "Faire une proposition",
  "benchmark.unavailable":
    "Le service de données de la coopérative ne répond pas encore aux questions des membres : seuls vos propres chiffres sont affichés.",
  "benchmark.from":
    "D'après l'accès de comparaison {id} de la coopérative, actif jusqu'au {end}. Les chiffres de l'ensemble comportent un peu de bruit aléatoire.",
  "benchmark.poolCount": {
    one: "Environ {count} enregistrement dans l'ensemble.",
    many: "Environ {count} enregistrements dans l'ensemble.",
    other: "Environ {count} enregistrements dans l'ensemble.",
  },
  "benchmark.noise": {
    one: "Pour que les chiffres de chaque membre restent privés, la coopérative ajoute un peu de bruit au hasard à ceux de l'ensemble : neuf fois sur dix, le nombre d'enregistrements affiché est à moins de {count} du vrai, et les moyennes bougent un peu avec lui. Vos propres chiffres sont exacts.",
    many: "Pour que les chiffres de chaque membre restent privés, la coopérative ajoute un peu de bruit au hasard à ceux de l'ensemble : neuf fois sur dix, le nombre d'enregistrements affiché est à moins de {count} du vrai, et les moyennes bougent un peu avec lui. Vos propres chiffres sont exacts.",
    other:
      "Pour que les chiffres de chaque membre restent privés, la coopérative ajoute un peu de bruit au hasard à ceux de l'ensemble : neuf fois sur dix, le nombre d'enregistrements affiché est à moins de {count} du vrai, et les moyennes bougent un peu avec lui. Vos propres chiffres sont exacts.",
  },
  "benchmark.chart": "{field} : vous et l'ensemble",
  "benchmark.noRecords":
    "Vous n'avez pas encore de relevés chiffrés dans ce jeu de données. Ajoutez-en dans Mes données.",
  "benchmark.failed": "Impossible de lire les chiffres. Réessayez plus tard.",

  "privacy.title": "Votre vie privée sur cette période",
  "privacy.explain":
    "Chaque réponse sur l'ensemble utilise un peu de la vie privée de chaque membre, jusqu'à une limite votée par la coopérative. Quand votre limite est atteinte, vos données sont laissées hors des réponses jusqu'à son renouvellement.",
  "privacy.used": {
    one: "{share} de votre limite de vie privée utilisés par {count} réponse ; elle se renouvelle le {renews}.",
    many: "{share} de votre limite de vie privée utilisés par {count} réponses ; elle se renouvelle le {renews}.",
    other:
      "{share} de votre limite de vie privée utilisés par {count} réponses ; elle se renouvelle le {renews}.",
  },
  "privacy.full":
    "votre limite de vie privée pour cette période est atteinte : vos données sont laissées hors des réponses jusqu'au {renews}.",
  "privacy.none": "Aucune réponse n'a utilisé votre vie privée sur cette période.",
  "privacy.failed": "Impossible de lire vos chiffres de vie privée. Réessayez plus tard.",
  "privacy.dataset": "Un jeu de données",
  "privacy.meter": "Vie privée utilisée : {dataset}",
  "partner.title": "Partenaires",
  "partner.intro":
    "Chercheurs, entreprises et organismes demandent un accès à la coopérative. Les membres votent ; une fois approuvé, vous interrogez les données dans les conditions demandées.",
  "partner.grantUnknown": "Aucune de vos autorisations ne porte ce numéro.",
  "request.title": "Demander un accès",
  "request.purpose": "Finalité",
  "request.fields": "Champs",
  "request.shape": "Réponses",
  "request.shape.aggregate": "Totaux par groupes uniquement",
  "request.shape.rows": "Lignes pseudonymisées",
  "request.k": "Plus petit groupe",
  "request.k.hint": "Aucune réponse ne porte sur moins de membres que cela.",
  "request.days": "Pendant combien de jours",
  "request.days.hint": "Au plus {max}.",
  "request.name": "Le nom de votre organisation",
  "request.name.hint":
    "Comment les membres vous connaîtront (64 caractères au plus). Ils le lisent comme votre propre déclaration, votre adresse à un clic.",
  "request.fee": "Frais (ETH)",
  "request.fee.hint":
    "Au moins {min}. Conservés par la coopérative jusqu'au vote ; remboursés en cas de refus.",
  "request.terms": "Lien vers vos conditions",
  "request.terms.hint": "Ce que vous ferez des données (https://, ipfs:// ou ar://).",
  "request.review": "Relire la demande",
  "request.summary.aggregate":
    "Demander {dataset} pour {purpose} : des totaux par groupes d'au moins {k} membres sur {fields}, pendant {duration}. Vous payez {fee} maintenant, conservés jusqu'à la décision des membres.",
  "request.summary.rows":
    "Demander {dataset} pour {purpose} : des lignes pseudonymisées de {fields} d'au moins {k} membres, pendant {duration}. Vous payez {fee} maintenant, conservés jusqu'à la décision des membres.",
  "request.error.fields": "Choisissez au moins un champ.",
  "request.error.k": "Saisissez un nombre entier d'au moins 1.",
  "request.error.days": "Saisissez un nombre entier de jours, au moins 1.",
  "request.error.name": "Indiquez le nom de votre organisation (64 caractères au plus).",
  "request.error.daysMax": "C'est plus long que ce que la coopérative permet.",
  "request.error.feeMin": "Les frais sont inférieurs au minimum de la coopérative.",
  "request.mine": "Mes demandes",
  "request.item": "Demande {id}",
  "request.itemTerms": "Pour {purpose}, frais {fee}.",
  "request.terms.show": "Les conditions demandées",
  "request.phase.waitingSponsor": "En attente d'un vote",
  "request.phase.voting": "Les membres votent",
  "request.phase.voteFailed": "Le vote n'est pas passé",
  "request.phase.votePassed": "Le vote est passé",
  "request.phase.approved": "Accordée",
  "request.phase.rejected": "Refusée",
  "request.phase.withdrawn": "Retirée",
  "request.phase.revoked": "Révoquée",
  "request.next.waitingSponsor": "En attente qu'un membre la soumette au vote.",
  "request.next.voting": "Les membres la votent en ce moment.",
  "request.next.voteFailed":
    "Le vote n'est pas passé, donc rien n'est encore décidé : un membre peut la soumettre à un nouveau vote, ou vous pouvez la retirer et récupérer la redevance.",
  "request.next.votePassed":
    "Le vote est passé : l'accès commence une fois exécuté, après le délai d'attente de la coopérative.",
  "request.next.approved": "Vous pouvez interroger les données dans le cadre des conditions.",
  "request.next.rejected": "Les membres l'ont refusée. Récupérez votre redevance ci-dessus.",
  "request.next.withdrawn": "Vous l'avez retirée ; sa redevance peut être récupérée.",
  "request.next.revoked": "Cette autorisation a été révoquée : elle ne peut plus servir.",
  "request.query": "Interroger les données",
  "request.withdraw": "Retirer et récupérer les frais",
  "request.withdraw.summary": "Retirer la demande {id} ; ses frais deviennent remboursables.",
  "refund.waiting": "Frais à récupérer (demandes refusées ou retirées) : {amount}.",
  "refund.claim": "Récupérer mes frais",
  "refund.summary": "Récupérer {amount} de frais retenus pour des demandes refusées ou retirées.",
  "query.back": "Retour à mes demandes",
  "query.title": "Requête sous l'autorisation {id}",
  "query.active": "Active jusqu'au {end}.",
  "query.inactive": "Inactive (terminée le {end} ou révoquée).",
  "query.select": "Champs à renvoyer",
  "query.groupBy": "Grouper par",
  "query.none": "Aucun",
  "query.measure": "Mesure",
  "query.fn.count": "Nombre d'enregistrements",
  "query.fn.sum": "Somme",
  "query.fn.mean": "Moyenne",
  "query.fn.min": "Minimum",
  "query.fn.max": "Maximum",
  "query.col.sum": "Somme de {field}",
  "query.col.mean": "Moyenne de {field}",
  "query.col.min": "{field} le plus petit",
  "query.col.max": "{field} le plus grand",
  "query.col.quantiles": "Quantiles de {field}",
  "query.measureField": "Du champ",
  "query.filter": "Seulement les enregistrements où",
  "query.filter.hint": "Facultatif.",
  "query.op": "Est",
  "query.op.eq": "égal à",
  "query.op.ne": "différent de",
  "query.op.lt": "inférieur à",
  "query.op.lte": "au plus",
  "query.op.gt": "supérieur à",
  "query.op.gte": "au moins",
  "query.value": "Valeur",
  "query.json": "La requête telle qu'envoyée",
  "query.error.select": "Choisissez au moins un champ à renvoyer.",
  "query.error.limit": "Le nombre de lignes va de 1 à 1 000.",
  "query.error.measureField": "Choisissez le champ à mesurer.",
  "query.signHint":
    "Votre portefeuille signe exactement cette requête pour cette autorisation (gratuit, rien n'est envoyé au réseau) ; la coopérative journalise chaque réponse.",
  "query.run": "Signer et interroger",
  "query.sending": "Interrogation du service de données de la coopérative…",
  "query.refused": "La coopérative n'a pas répondu à cette requête.",
  "query.result": {
    one: "Réponse : {count} ligne",
    many: "Réponse : {count} lignes",
    other: "Réponse : {count} lignes",
  },
  "query.suppressed": {
    one: "{count} groupe comptait trop peu de membres pour être affiché.",
    many: "{count} groupes comptaient trop peu de membres pour être affichés.",
    other: "{count} groupes comptaient trop peu de membres pour être affichés.",
  },
  "query.allSuppressed": {
    one: "Aucun groupe ne comptait assez de membres pour être affiché (le seul groupe était trop petit). Regroupez par moins de champs, ou retirez le filtre, pour que chaque groupe couvre plus de membres.",
    many: "Aucun groupe ne comptait assez de membres pour être affiché (les {count} groupes étaient trop petits). Regroupez par moins de champs, ou retirez le filtre, pour que chaque groupe couvre plus de membres.",
    other:
      "Aucun groupe ne comptait assez de membres pour être affiché (les {count} groupes étaient trop petits). Regroupez par moins de champs, ou retirez le filtre, pour que chaque groupe couvre plus de membres.",
  },
  "query.noisy":
    "Ces chiffres comportent un peu de bruit aléatoire, comme l'exigent les règles de confidentialité de la coopérative.",
  "query.logged": "Enregistrée comme entrée {seq} du journal des accès de la coopérative.",
  "query.csv": "Télécharger le CSV",
  "refusal.cohort":
    "Trop peu de membres figurent dans cette réponse pour le plus petit groupe de l'autorisation. Regroupez par moins de champs ou élargissez le filtre.",
  "refusal.filter": "Ce filtre isolerait trop peu de membres. Élargissez-le ou retirez-le.",
  "refusal.differencing":
    "Cette requête diffère d'une précédente de trop peu de membres, ce qui pourrait révéler une personne. Interrogez un groupe plus large.",
  "refusal.scope":
    "Un champ de cette requête n'est pas dans les conditions de l'autorisation. N'utilisez que les champs de l'autorisation.",
  "refusal.identifying": "Ce champ identifie une personne et n'est jamais servi. Retirez-le.",
  "refusal.rows": "Cette autorisation ne permet que des totaux par groupes. Choisissez des totaux.",
  "refusal.measure":
    "Les règles de confidentialité permettent ici les comptages, sommes et moyennes, pas les plus petites ou plus grandes valeurs. Choisissez une autre mesure.",
  "refusal.budget":
    "Cette autorisation a épuisé son budget de confidentialité pour l'instant. Réessayez à la prochaine période, ou demandez une nouvelle autorisation à la coopérative.",
  "refusal.ended": "Cette autorisation a pris fin ou a été révoquée. Demandez de nouveau l'accès.",
  "refusal.notYours": "Cette autorisation n'a pas été accordée à votre compte.",
  "refusal.notYet":
    "Cette autorisation n'est pas encore active. Réessayez une fois qu'elle aura été exécutée.",
  "refusal.paused":
    "La coopérative a suspendu toutes les autorisations pour l'instant. Réessayez plus tard.",
  "refusal.noSchema":
    "Le service de données de la coopérative ne connaît pas encore ce jeu de données. Demandez à un membre de lui donner sa description.",
  "refusal.invalid": "La requête n'a pas pu être lue. Modifiez le formulaire et réessayez.",
  "refusal.again":
    "La signature n'a pas été acceptée (déjà utilisée, ou trop tard). Signez et lancez de nouveau.",
  "refusal.rateLimited": "Trop de requêtes en une minute. Attendez une minute, puis réessayez.",
  "refusal.other": "La coopérative a refusé cette requête. Vérifiez le formulaire et réessayez.",
  "audit.title": "Audit",
  "refusal.groupNotPublic":
    "Cette autorisation ne répond que par groupes que la coopérative peut nommer d'avance. Groupez par un champ à choix fixes, oui/non, ou par tranches de nombres.",
  "refusal.groupsTooMany":
    "Cette question ferait trop de groupes (1 000 au plus). Groupez par moins de champs, ou prenez des tranches plus larges.",
  "refusal.notDeclared":
    "Cette autorisation ne donne des chiffres exacts que pour les tableaux de ses conditions votées. Choisissez l'un de ces tableaux.",
  "refusal.tabulationsUnknown":
    "Le service de données de la coopérative n'a pas encore la liste des tableaux de cette autorisation. Demandez-la à la coopérative, puis réessayez.",
  "refusal.noGrant":
    "Ce compte ne détient encore aucune autorisation de la coopérative. Demandez d'abord l'accès.",
  "gw.session":
    "Votre connexion au service de données de la coopérative a expiré ou n'a pas abouti. Reconnectez-vous.",
  "gw.noStanding":
    "Seuls les membres, et les partenaires titulaires d'une autorisation, peuvent se connecter au service de données de la coopérative.",
  "gw.batch":
    "Ces enregistrements n'ont pas pu être lus. Envoyez de 1 à 1 000 enregistrements, chacun avec son numéro, puis réessayez.",
  "gw.recordsUnknown":
    "Aucun de ces enregistrements n'est à vous et encore conservé : ils ont peut-être déjà été supprimés.",
  "gw.schema":
    "Cette description des données ne correspond pas à celle que la coopérative a enregistrée. Utilisez le fichier de la coopérative.",
  "gw.tabulations":
    "Cette liste de tableaux ne correspond pas aux conditions votées de l'autorisation. Utilisez la liste votée par la coopérative.",
  "gw.unavailable":
    "Le service de données de la coopérative ne peut pas joindre ses enregistrements pour l'instant. Rien n'a changé : réessayez dans quelques minutes.",
  "gw.logBroken":
    "Le registre de la coopérative sur qui a utilisé les données ne se vérifie pas. Prévenez l'opérateur de la coopérative.",
  "gw.invalid":
    "Le service de données de la coopérative n'a pas pu lire cette demande. Rechargez la page et réessayez.",
  "gw.notFound":
    "Le service de données de la coopérative ne connaît pas cela. Rechargez la page et réessayez.",
  "gw.rateLimited": "Trop de demandes en une minute. Attendez une minute, puis réessayez.",
  "audit.intro":
    "Toutes les décisions de la coopérative, de la plus récente à la plus ancienne, avec la transaction qui les enregistre. Chacun peut les vérifier sur la chaîne.",
  "audit.turnout": "Participation par proposition",
  "audit.revenue": "Frais reçus par autorisation (ETH)",
  "audit.tx": "voir la transaction",
  "audit.root": "voir l'empreinte du journal",
  "audit.block": "bloc {block}",
  "audit.more": "Voir plus",
  "timeline.admission": "Le membre numéro {id} a rejoint la coopérative.",
  "timeline.proposal": "{title}, proposée par {proposer}.",
  "timeline.vote.For": "{voter} a voté pour sur la {proposal}.",
  "timeline.vote.Against": "{voter} a voté contre sur la {proposal}.",
  "timeline.vote.Abstain": "{voter} s'est abstenu sur la {proposal}.",
  "timeline.queued": "{title} est passée et a été mise en file.",
  "timeline.executed": "{title} a été exécutée.",
  "timeline.canceled": "{title} a été annulée.",
  "timeline.request": "{partner} a demandé l'accès au jeu de données {dataset} (demande {id}).",
  "timeline.grant": "Autorisation {id} à {partner} approuvée par vote.",
  "timeline.revocation": "Autorisation {id} révoquée ({reason}).",
  "timeline.anchor": "Lot {index} du journal des accès ancré : {size} entrées.",
  "auditLog.title": "Le journal des accès",
  "auditLog.intro":
    "Vérifiez, ici dans votre navigateur, chaque preuve que la passerelle donne de son journal des accès avec les ancrages de la chaîne. Rien de ce que dit la passerelle n’est pris pour acquis.",
  "auditLog.run": "Vérifier le journal des accès",
  "auditLog.reading": "Lecture des ancrages sur la chaîne…",
  "auditLog.progress": "{done} preuves vérifiées sur {total}",
  "auditLog.ok":
    "Le journal des accès est intègre : {batches} lots sur la chaîne, chacun prolongeant le précédent, et les {entries} entrées ancrées s’y trouvent toutes.",
  "auditLog.none": "Rien n’est encore ancré sur la chaîne.",
  "auditLog.unanchored":
    "{count} entrées plus récentes ne sont pas encore ancrées : elles seront dans le prochain lot.",
  "auditLog.root": {
    one: "Le dernier lot ancré s'arrête à l'entrée {count}.",
    many: "Le dernier lot ancré s'arrête à l'entrée {count}.",
    other: "Le dernier lot ancré s'arrête à l'entrée {count}.",
  },
  "auditLog.failed": "Le journal des accès n’est pas intègre.",
  "auditLog.fail.anchorRead": "Impossible de lire les ancrages sur la chaîne : {message}",
  "auditLog.fail.anchorLink": "Le lot {batch} sur la chaîne ne suit pas le lot précédent.",
  "auditLog.fail.rewritten":
    "Le lot {batch} ne prolonge pas le lot précédent : le journal a été réécrit après son ancrage.",
  "auditLog.fail.batchRoot":
    "La racine donnée par la passerelle pour le lot {batch} n’est pas celle de la chaîne.",
  "auditLog.fail.entryChanged":
    "L’entrée {seq} (lot {batch}) a été modifiée : son texte ne correspond pas à son hash.",
  "auditLog.fail.entryNotIn":
    "L’entrée {seq} n’est pas dans le lot {batch} tel qu’il est ancré sur la chaîne.",
  "auditLog.fail.entryRoot":
    "Pour l’entrée {seq}, la racine donnée par la passerelle pour le lot {batch} n’est pas celle de la chaîne.",
  "auditLog.fail.entryMissing":
    "L’entrée {seq} est ancrée dans le lot {batch}, mais la passerelle ne l’a plus.",
  "auditLog.fail.batchUnavailable":
    "La passerelle n’a donné aucune preuve pour le lot {batch} : {message}",
  "auditLog.fail.entryUnavailable":
    "La passerelle n’a donné aucune preuve pour l’entrée {seq} : {message}",
  "directory.applications": "Candidatures en attente d'un vote",
  "directory.applied": "Quelqu'un a candidaté le {date}",
  "directory.readApplication": "Lire la candidature",
  "directory.reason": "Candidature : {uri}",
  "directory.propose": "Proposer son admission",
  "directory.members": {
    one: "Tous les membres ({count})",
    many: "Tous les membres ({count})",
    other: "Tous les membres ({count})",
  },
  "directory.member": "Membre n° {id}, depuis le {date}",
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
  "wallet.demo.farmer": "{name} (membre)",
  "wallet.demo.partner": "{name} (partenaire)",
  "wallet.demo.members": "Membres",
  "wallet.demo.partners": "Partenaires",
  "wallet.demo.visitors": "Non-membres",
  "wallet.demo.visitor": "Visiteur·se {n}",
  "wallet.signedInAs": "Connecté : {who}",
  "wallet.disconnect": "Déconnecter",
  "wallet.connectFailed": "Connexion impossible :",
  "network.wrong":
    "Votre portefeuille est sur un autre réseau. Cette coopérative fonctionne sur {network} ; rien ne sera signé tant que vous n'aurez pas changé.",
  "network.switch": "Passer sur {network}",
  "tx.review.title": "Avant de signer",
  "tx.review.meaning":
    "Votre portefeuille vous demandera de signer ce changement. Signer l'inscrit publiquement dans le registre de la coopérative, sous votre compte, et coûte de petits frais de réseau en ETH. Vous seul pouvez le signer.",
  "tx.review.gasless":
    "Votre portefeuille demandera une signature, pas une transaction : cela ne vous coûte rien. Le relais de la coopérative inscrit ensuite ce changement, publiquement et sous votre compte, une seule fois, avant son expiration. Le relais paie les frais de réseau et ne peut pas modifier ce que vous avez signé.",
  "tx.review.relayed":
    "Le relais de la coopérative l'envoie pour vous et paie les frais du réseau. Il n'y a rien à signer : l'argent ne va que sur votre propre compte.",
  "tx.review.confirm": "Signer dans mon portefeuille",
  "tx.review.send": "L'envoyer",
  "tx.review.cancel": "Annuler",
  "tx.wallet": "En attente de votre portefeuille… Ouvrez-le pour signer ou refuser.",
  "tx.wallet.signature":
    "En attente de votre portefeuille… Il demande une signature, pas une transaction : aucuns frais.",
  "tx.relaying": "Signé. Le relais de la coopérative l’a accepté et l’envoie…",
  "tx.relaying.unsigned": "Le relais de la coopérative l'a accepté et l'envoie…",
  "tx.mining": "Envoyé. En attente de la confirmation du réseau…",
  "tx.mining.relayed": "Le relais l'a envoyé. En attente de la confirmation du réseau…",
  "tx.success": "C'est fait : c'est enregistré.",
  "tx.record": "voir la transaction",
  "tx.error.title": "Cela n'a pas abouti ; rien n'a changé.",
  "tx.dismiss": "Fermer",
  "tx.retry": "Réessayer",
  "sign.contract": "Signé pour",
  "sign.contract.value": "{coop}",
  "sign.exact": "voir la valeur exacte",
  "sign.member": "Membre",
  "sign.voter": "Votant·e",
  "sign.proposer": "Proposé par",
  "sign.changes": "Changements",
  "sign.changes.value": {
    one: "{count} changement, comme indiqué ci-dessus",
    many: "{count} changements, comme indiqué ci-dessus",
    other: "{count} changements, comme indiqué ci-dessus",
  },
  "sign.purposes": "Finalités autorisées après ce changement",
  "sign.purposes.none": "Aucune",
  "sign.grant": "Autorisation",
  "sign.grant.value": "Autorisation {id}",
  "sign.choice": "Choix",
  "sign.proposal": "Proposition",
  "sign.proposal.unnumbered": "Une proposition",
  "sign.support": "Vote",
  "sign.reason": "Motif",
  "sign.valid": "Valable pour",
  "sign.valid.value": "un seul usage, dans l’heure qui suit la signature",
  "err.rejected":
    "Vous avez refusé dans votre portefeuille, donc rien n'a changé. Appuyez sur Réessayer quand vous serez prêt.",
  "err.chain":
    "Votre portefeuille est sur un autre réseau. Passez sur {network} (ci-dessus), puis réessayez.",
  "err.noFunds":
    "Votre compte n'a pas d'ETH pour les frais de réseau. Cochez « sans payer de frais » si c'est proposé, ou demandez un peu d'ETH à la coopérative.",
  "err.network":
    "Le réseau de la coopérative n'a pas répondu. Vérifiez votre connexion et réessayez.",
  "err.noVote":
    "Vous n'étiez pas encore membre à l'ouverture du vote sur cette proposition : vous n'y avez donc pas de voix.",
  "err.alreadyVoted": "Vous avez déjà voté sur cette proposition. Un vote ne peut pas être changé.",
  "err.proposalStep":
    "Cette proposition n'est pas à cette étape maintenant (le vote est peut-être clos, ou c'est déjà fait). Rechargez la page pour voir où elle en est.",
  "err.noProposal": "Il n'y a pas de proposition avec ce numéro.",
  "err.proposeMembersOnly":
    "Seuls les membres peuvent faire des propositions, et ce compte n'est pas membre actuellement.",
  "err.invalidValue":
    "Les règles de la coopérative ne permettent pas cette valeur. Vérifiez le formulaire et relisez.",
  "err.signature":
    "La signature n'a pas été acceptée. Réessayez ; si cela échoue encore, reconnectez votre portefeuille.",
  "err.expired": "La signature était trop ancienne à son arrivée. Réessayez.",
  "err.staleSignature":
    "Un autre de vos changements a été inscrit avant, donc cette signature ne compte plus. Réessayez.",
  "err.coopOnly": "Seule la coopérative elle-même, par un vote, peut faire cela.",
  "err.noPayment": "La coopérative n'accepte pas de paiement de cette façon. Rien n'a été envoyé.",
  "err.notYet":
    "Le délai d'attente n'est pas encore écoulé. Réessayez à la fin du compte à rebours.",
  "err.tryLater": "Ce n'est pas encore possible. Réessayez dans quelques minutes.",
  "err.alreadyMember": "Cette adresse est déjà membre.",
  "err.movedAway":
    "Cette adhésion a été transférée vers un nouveau compte par un vote de la coopérative. Utilisez votre nouveau compte.",
  "err.notMember":
    "Seuls les membres peuvent faire cela, et ce compte n'est pas membre actuellement.",
  "err.soulbound": "Une adhésion ne se donne ni ne se prête : chaque membre garde sa propre voix.",
  "err.noGrant": "Cette autorisation a pris fin ou n'existe pas.",
  "err.cohortTooSmall":
    "Le plus petit groupe est sous le minimum de la coopérative. Augmentez-le et relisez.",
  "err.datasetClosed":
    "Ce jeu de données est fermé aux nouvelles demandes. Choisissez-en un autre.",
  "err.durationTooLong":
    "C'est plus long que ce que la coopérative permet. Demandez moins de jours.",
  "err.feeTooLow": "La redevance est sous le minimum de la coopérative. Augmentez-la et relisez.",
  "err.memberCannotRequest":
    "Les membres ne peuvent pas demander eux-mêmes une autorisation : un partenaire la demande, et les membres votent.",
  "err.notYourRequest": "Cette demande a été faite par un autre compte.",
  "err.nothingToRefund": "Il n'y a aucune redevance à récupérer.",
  "err.paymentFailed":
    "Le paiement n'a pas pu être envoyé à ce compte. Réessayez, ou prévenez la coopérative.",
  "err.termsChanged":
    "Les conditions de la demande ne sont pas celles affichées. Rechargez la page et relisez.",
  "err.requestDecided":
    "Cette demande a déjà été tranchée ou retirée. Rechargez pour voir où elle en est.",
  "err.paused":
    "La coopérative a suspendu les autorisations et les demandes pour l'instant. Réessayez une fois la suspension levée.",
  "err.outdatedChoice":
    "Un choix plus récent de votre part est déjà enregistré : cette ancienne signature ne peut plus le changer. Refaites le choix si vous le voulez toujours.",
  "err.clockAhead":
    "L'horloge de votre téléphone est en avance. Réglez la date et l'heure, puis réessayez.",
  "err.nothingToCollect": "Il n'y a rien à encaisser pour vous ici pour l'instant.",
  "err.claimClosed":
    "Le délai pour encaisser cette part est terminé ; ce qui n'a pas été encaissé est revenu à la coopérative.",
  "err.partnerName": "Indiquez le nom de votre organisation, 64 lettres au plus.",
  "err.exactNeedsAggregates":
    "Les chiffres exacts ne se demandent qu'avec des totaux et des moyennes, pas avec des lignes une à une. Désactivez les chiffres exacts ou demandez des totaux.",
  "err.alreadyClaimed": "Vous avez déjà encaissé cette part.",
  "err.notEligible":
    "Cette part n'est pas pour vous : vous n'étiez pas membre lors du partage, ou vos données n'ont pas été utilisées.",
  "err.badProof":
    "Le service de données de la coopérative a fourni une preuve que le contrat n'a pas acceptée. Réessayez plus tard.",
  "err.relayerLimit":
    "La coopérative a déjà envoyé autant de changements pour vous qu'elle le permet cette heure-ci. Réessayez plus tard, ou payez les frais vous-même.",
  "err.relayerBusy": "Le relais de la coopérative est occupé. Réessayez dans une minute.",
  "err.relayerBudget":
    "Le relais de la coopérative n'a plus de budget de frais pour l'instant. Réessayez plus tard, ou payez les frais vous-même.",
  "err.relayerTooExpensive":
    "Les frais de réseau sont trop élevés pour le relais de la coopérative en ce moment. Réessayez plus tard.",
  "err.alreadyRelayed": "Ce changement signé a déjà été envoyé. Rechargez la page pour le voir.",
  "err.relayerNotSent":
    "Le relais de la coopérative n'a pas pu l'envoyer. Réessayez dans une minute.",
  "err.relayTimeout":
    "Le relais de la coopérative ne le voit pas encore inscrit. Revérifiez dans une minute avant de réessayer.",
  "err.relayerMissing":
    "Le relais de la coopérative ne propose pas encore cela. Payez les frais vous-même.",
  "err.internal":
    "Les règles de la coopérative l'ont refusé, et rien n'a changé. Si cela se reproduit, prévenez la coopérative (code {code}).",
  "err.unknown":
    "Cela n'a pas abouti, et rien n'a changé. Réessayez ; si cela échoue encore, prévenez la coopérative.",
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
  "consent.gasless.label":
    "Enregistrer sans payer de frais (la coopérative envoie votre changement signé)",
  "consent.undo": "Annuler les changements",
  "consent.withdrawAll": "Retirer tout consentement",
  "consent.summary.allow": "Autoriser l’usage de vos données pour : {purposes}.",
  "consent.summary.withdraw": "Ne plus autoriser : {purposes}.",
  "consent.summary.withdrawAll": "Retirer votre consentement pour toutes les finalités.",
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
  CREDIT_DECISIONS: {
    label: "Décisions de crédit",
    description:
      "Évaluer la solvabilité pour un prêt, le crédit d’un groupe d’épargne ou un crédit commercial ; par exemple un prêteur qui consulte l’historique de remboursement d’un groupe d’épargne.",
  },
};
