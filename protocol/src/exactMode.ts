/**
 * What the exact mode protects and what it cannot, in words members read before they vote for a grant
 * that chooses it (the dApp shows EXACT_MODE_RISKS next to the grant's declared tabulations; the gateway
 * serves the same text at GET /gateway/exact-mode). Every aggregate is differentially private unless a
 * grant's terms chose the exact mode; these words are about that exception only. `{k}` stands for the
 * grant's minimum group size (at least 2). Keep the languages in step: a test checks they have the same
 * points.
 */

export interface ExactModeText {
  title: string;
  /** What the gateway still does for exact answers. */
  protects: string;
  /** What it cannot prevent, one point each. */
  risks: readonly string[];
}

export const EXACT_MODE_RISKS = {
  en: {
    title: "What exact answers can still reveal",
    protects:
      "With this grant the partner gets exact figures instead of figures with a little random noise, and only for the tables listed in the request. The gateway still hides every figure about fewer than {k} members or {k} records, every filter that sets fewer than {k} members or records apart, and every answer that differs from an earlier exact answer about this data (under any grant, to any partner, at any time) by fewer than {k} members or records.",
    risks: [
      "Combining several answers. The gateway compares each new answer with each earlier one, two at a time, and the tables allow only filters for which most combinations are such pairs. But a partner who asks for a total and then, one question at a time, for all but one of its groups can subtract them and get the last group, which may be small, even a single member.",
      "What others already know. Someone who knows the figures of all but one member of a group (the other members of that group working together, or a partner with outside data) can work out that member's figure from an exact total.",
      "Records that differ, members that do not. Two answers can cover the same members but differ by at least {k} records (for example two periods, or two ranges of a value). The difference between them is then shown exactly, even if all those records are one member's. (When the same figure is asked again, the gateway hides it if records changed while the members stayed the same.)",
      "Which values are common. Every group of at least {k} members is shown with its exact size, so everyone who sees the answers learns exactly how many members have each listed value, and the exact totals for them.",
      "No privacy ledger. Exact answers are not counted in the privacy used that members see, and the privacy cap does not limit them: they are outside the protection that random noise gives every other answer.",
    ],
  },
  es: {
    title: "Lo que las respuestas exactas aún pueden revelar",
    protects:
      "Con esta concesión, el socio recibe cifras exactas en lugar de cifras con un poco de ruido aleatorio, y solo para las tablas que la solicitud enumera. La pasarela sigue ocultando toda cifra sobre menos de {k} miembros o {k} registros, todo filtro que separe a menos de {k} miembros o registros, y toda respuesta que difiera de una respuesta exacta anterior sobre estos datos (con cualquier concesión, a cualquier socio, en cualquier momento) en menos de {k} miembros o registros.",
    risks: [
      "Combinar varias respuestas. La pasarela compara cada respuesta nueva con cada respuesta anterior, de dos en dos, y las tablas solo admiten filtros para los que la mayoría de las combinaciones son esos pares. Pero un socio que pide un total y luego, pregunta a pregunta, todos sus grupos menos uno puede restarlos y obtener el último grupo, que puede ser pequeño, incluso un solo miembro.",
      "Lo que otros ya saben. Quien conoce las cifras de todos los miembros de un grupo menos uno (los demás miembros de ese grupo actuando juntos, o un socio con datos externos) puede deducir la cifra de ese miembro a partir de un total exacto.",
      "Registros distintos, mismos miembros. Dos respuestas pueden cubrir a los mismos miembros pero diferir en al menos {k} registros (por ejemplo, dos periodos, o dos rangos de un valor). La diferencia entre ellas se muestra entonces exacta, aunque todos esos registros sean de un solo miembro. (Cuando se vuelve a pedir la misma cifra, la pasarela la oculta si los registros cambiaron y los miembros no.)",
      "Qué valores son comunes. Cada grupo de al menos {k} miembros se muestra con su tamaño exacto, así que quien vea las respuestas sabe exactamente cuántos miembros tienen cada valor enumerado, y sus totales exactos.",
      "Sin registro de privacidad. Las respuestas exactas no cuentan en la privacidad usada que ven los miembros, y el límite de privacidad no las restringe: quedan fuera de la protección que el ruido aleatorio da a todas las demás respuestas.",
    ],
  },
  fr: {
    title: "Ce que des réponses exactes peuvent encore révéler",
    protects:
      "Avec cette autorisation, le partenaire reçoit des chiffres exacts au lieu de chiffres avec un peu de bruit aléatoire, et seulement pour les tableaux que la demande énumère. La passerelle cache toujours tout chiffre portant sur moins de {k} membres ou {k} enregistrements, tout filtre qui isole moins de {k} membres ou enregistrements, et toute réponse qui diffère d'une réponse exacte antérieure sur ces données (sous n'importe quelle autorisation, à n'importe quel partenaire, à n'importe quel moment) de moins de {k} membres ou enregistrements.",
    risks: [
      "Combiner plusieurs réponses. La passerelle compare chaque nouvelle réponse avec chaque réponse antérieure, deux à deux, et les tableaux n'admettent que des filtres pour lesquels la plupart des combinaisons sont de telles paires. Mais un partenaire qui demande un total puis, une question à la fois, tous ses groupes sauf un peut les soustraire et obtenir le dernier groupe, qui peut être petit, voire un seul membre.",
      "Ce que d'autres savent déjà. Quelqu'un qui connaît les chiffres de tous les membres d'un groupe sauf un (les autres membres de ce groupe agissant ensemble, ou un partenaire disposant de données extérieures) peut en déduire le chiffre de ce membre à partir d'un total exact.",
      "Des enregistrements différents, les mêmes membres. Deux réponses peuvent porter sur les mêmes membres mais différer d'au moins {k} enregistrements (par exemple deux périodes, ou deux tranches d'une valeur). Leur différence est alors montrée exactement, même si tous ces enregistrements sont ceux d'un seul membre. (Quand le même chiffre est redemandé, la passerelle le cache si des enregistrements ont changé alors que les membres sont restés les mêmes.)",
      "Quelles valeurs sont courantes. Chaque groupe d'au moins {k} membres est montré avec sa taille exacte : quiconque voit les réponses sait exactement combien de membres ont chaque valeur énumérée, et leurs totaux exacts.",
      "Pas de registre de confidentialité. Les réponses exactes ne comptent pas dans la confidentialité utilisée que voient les membres, et le plafond de confidentialité ne les limite pas : elles sont hors de la protection que le bruit aléatoire donne à toutes les autres réponses.",
    ],
  },
} as const satisfies Record<string, ExactModeText>;

export type ExactModeLanguage = keyof typeof EXACT_MODE_RISKS;

/** The text in one language with the grant's k filled in (k below 2 reads as 2, as the gateway applies it). */
export function exactModeText(language: ExactModeLanguage, k: number): ExactModeText {
  const t = EXACT_MODE_RISKS[language];
  const fill = (s: string) => s.replaceAll("{k}", String(Math.max(2, Math.floor(k))));
  return { title: t.title, protects: fill(t.protects), risks: t.risks.map(fill) };
}
