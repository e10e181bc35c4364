"use client";

/** A date and time in the operator's locale; the ISO form in the tooltip and the dateTime attribute. */
export function DateTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    // The server renders in its own zone; the browser's text wins without a hydration error.
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
