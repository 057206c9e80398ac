/** An address named for the reader (lib/who.ts), with the address itself one click away. */
import { useMemo } from "react";
import { useConnection } from "wagmi";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { useIndexer, useMembers, useRequests } from "../indexer.ts";
import type { ApiPage } from "../lib/indexerApi.ts";
import { describeAddress, type Directory, partnerName } from "../lib/who.ts";
import { Reveal } from "./Reveal.tsx";

type Application = { applicant: string; uri: string; blockTime: string };

/** Everyone the dApp can name: members, partners (by the names they gave), applicants, the co-op's contracts. */
export function useDirectory(): Directory {
  const { deployment } = useAppConfig();
  const me = useConnection().address;
  const members = useMembers().data?.items;
  const requests = useRequests({ limit: 500 }).data?.items;
  const applications = useIndexer<ApiPage<Application>>("/applications", {
    open: true,
    limit: 50,
  }).data?.items;
  return useMemo(() => {
    const partners = new Map<string, string>();
    // Oldest first, so the name of a partner's latest request wins.
    for (const r of [...(requests ?? [])].reverse()) {
      const name = partnerName(r.partnerName);
      const a = r.partner.toLowerCase();
      if (name) partners.set(a, name);
      else if (!partners.has(a)) partners.set(a, "");
    }
    return {
      ...(me ? { me } : {}),
      members: new Map((members ?? []).map((m) => [m.address.toLowerCase(), m.memberId])),
      partners,
      applicants: new Map(
        (applications ?? []).map((a) => [a.applicant.toLowerCase(), Number(a.blockTime)]),
      ),
      contracts: deployment.contracts,
    };
  }, [me, members, requests, applications, deployment.contracts]);
}

/** The plain name of `address`, as text (for sentences that cannot hold a button). */
export function useWhoText() {
  const { t, fmt } = useI18n();
  const directory = useDirectory();
  return (address: string) => {
    const who = describeAddress(address, directory);
    return "applied" in who
      ? t(who.key, { ...who.vars, date: fmt.date(who.applied) })
      : t(who.key, who.vars);
  };
}

export function Who({ address }: { address: string }) {
  const { t } = useI18n();
  const text = useWhoText();
  return (
    <span className="who-name">
      {text(address)} <Reveal label={t("reveal.address")} value={address} />
    </span>
  );
}
