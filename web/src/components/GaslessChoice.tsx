/**
 * "Without paying a fee": the choice to sign and let the co-op's relayer send the change, with what the
 * relayer allows (its limit per member, what is left of its budget). One block for every gasless action.
 */
import type { useGasless } from "../gasless.ts";
import type { MessageKey } from "../i18n/en.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { budgetLeft } from "../lib/relayer.ts";

export function GaslessChoice({
  gasless,
  label,
}: {
  gasless: ReturnType<typeof useGasless>;
  label: MessageKey;
}) {
  const { t, fmt } = useI18n();
  const info = gasless.relayer.info;
  if (!gasless.offered || !info) return null;
  const left = budgetLeft(info);
  return (
    <div className="gasless">
      <label className="check">
        <input
          type="checkbox"
          checked={gasless.on}
          onChange={(e) => gasless.set(e.target.checked)}
        />{" "}
        {t(label)}
      </label>
      <p className="hint" data-testid="relayer-limits">
        {t("gasless.limits", { count: info.limits.relaysPerMemberPerHour })}{" "}
        {left < 0.1
          ? t("gasless.budgetLow")
          : info.budget.periodHours > 0
            ? t("gasless.budget", {
                share: fmt.percent(left),
                period: fmt.duration(info.budget.periodHours * 3600),
              })
            : t("gasless.budgetTotal", { share: fmt.percent(left) })}
      </p>
    </div>
  );
}
