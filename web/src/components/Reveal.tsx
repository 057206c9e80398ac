/**
 * A technical value (an address, a transaction, an exact signed field) one click away: the screen reads in
 * plain words, and whoever wants to check the value itself can show it.
 */
import { useId, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";

export function Reveal({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <span className="reveal">
      <button
        type="button"
        className="link"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {open ? t("reveal.hide") : label}
      </button>
      <code id={id} hidden={!open}>
        {value}
      </code>
    </span>
  );
}
