/** The co-op's own name, as its membership contract states it (ERC-721 `name()`), for the header and title. */
import { useEffect } from "react";
import { useReadContract } from "wagmi";
import { membershipAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "./appConfig.tsx";
import { useI18n } from "./i18n/i18n.tsx";

export function useCoopName(): string {
  const { deployment } = useAppConfig();
  const { t } = useI18n();
  const name = useReadContract({
    address: deployment.contracts.membership,
    abi: membershipAbi,
    functionName: "name",
    chainId: deployment.chainId,
    query: { staleTime: Infinity },
  }).data;
  return name && name.trim() !== "" ? name.trim() : t("app.name");
}

/** Keeps the browser tab's title on the co-op and the page: "Votes · Valley Growers Data Co-op". */
export function useDocumentTitle(page: string) {
  const coop = useCoopName();
  useEffect(() => {
    document.title = page ? `${page} · ${coop}` : coop;
  }, [page, coop]);
}
