/** The members (from the indexer) and the open applications, each one click from an admission proposal. */
import { useI18n } from "../i18n/i18n.tsx";
import { useIndexer, useMembers } from "../indexer.ts";
import { shortAddress } from "../lib/format.ts";
import type { ApiPage } from "../lib/indexerApi.ts";

type Application = { applicant: string; uri: string; blockTime: string };

export function MemberDirectory() {
  const { t, lang } = useI18n();
  const members = useMembers();
  const applications = useIndexer<ApiPage<Application>>("/applications", { open: true, limit: 50 });
  const open = applications.data?.items ?? [];
  const date = (s: string) =>
    new Date(Number(s) * 1000).toLocaleDateString(lang, { dateStyle: "medium" });
  return (
    <>
      {open.length > 0 && (
        <div className="panel">
          <h3>{t("directory.applications")}</h3>
          <ul className="cards" data-testid="applications">
            {open.map((a) => (
              <li key={`${a.applicant}-${a.blockTime}`}>
                <p>
                  <strong>{shortAddress(a.applicant)}</strong> · {date(a.blockTime)}
                </p>
                <p className="hint">{a.uri}</p>
                <a
                  className="button"
                  href={`#/propose/admit?${new URLSearchParams({
                    member: a.applicant,
                    reason: t("directory.reason", { uri: a.uri }),
                  })}`}
                >
                  {t("directory.propose")}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {members.data && (
        <details className="panel">
          <summary>{t("directory.members", { count: members.data.total })}</summary>
          <ol className="cards" data-testid="members">
            {members.data.items.map((m) => (
              <li key={m.address}>
                {t("directory.member", {
                  id: m.memberId,
                  address: shortAddress(m.address),
                  date: date(m.since),
                })}
              </li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}
