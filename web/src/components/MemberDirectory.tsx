/** The members by number (from the indexer) and the open applications, each one click from an admission proposal. */
import { useI18n } from "../i18n/i18n.tsx";
import { useIndexer, useMembers } from "../indexer.ts";
import type { ApiPage } from "../lib/indexerApi.ts";
import { Reveal } from "./Reveal.tsx";

type Application = { applicant: string; uri: string; blockTime: string };

export function MemberDirectory() {
  const { t, fmt } = useI18n();
  const members = useMembers();
  const applications = useIndexer<ApiPage<Application>>("/applications", { open: true, limit: 50 });
  const open = applications.data?.items ?? [];
  return (
    <>
      {open.length > 0 && (
        <div className="panel">
          <h2>{t("directory.applications")}</h2>
          <ul className="cards" data-testid="applications">
            {open.map((a) => (
              <li key={`${a.applicant}-${a.blockTime}`}>
                <p>
                  <strong>{t("directory.applied", { date: fmt.date(Number(a.blockTime)) })}</strong>{" "}
                  <Reveal label={t("reveal.address")} value={a.applicant} />
                </p>
                <p className="hint">
                  {/^https?:\/\//.test(a.uri) ? (
                    <a href={a.uri} rel="noopener noreferrer nofollow" target="_blank">
                      {t("directory.readApplication")}
                    </a>
                  ) : (
                    <Reveal label={t("directory.readApplication")} value={a.uri} />
                  )}
                </p>
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
                {t("directory.member", { id: m.memberId, date: fmt.date(Number(m.since)) })}{" "}
                <Reveal label={t("reveal.address")} value={m.address} />
              </li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}
