import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { isPlainObject } from "@/lib/fragments/diff";

/** Any JSON value as readable text: strings as they are, everything else as compact JSON. */
export function plain(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? "";
}

export function FragmentCard({
  id,
  title,
  fragment,
  children,
}: {
  id: string;
  title: string;
  fragment: string;
  children: ReactNode;
}) {
  return (
    <Card aria-labelledby={id}>
      <CardHeader
        title={title}
        titleId={id}
        description={<code className="font-mono text-xs">{fragment}</code>}
      />
      <CardBody>{children}</CardBody>
    </Card>
  );
}

/** Key/value pairs of an object fragment, the known keys first under their human labels. */
export function FieldList({ value, labels }: { value: unknown; labels: Record<string, string> }) {
  if (!isPlainObject(value)) return <code className="font-mono text-sm">{plain(value)}</code>;
  const keys = [
    ...Object.keys(labels).filter((k) => k in value),
    ...Object.keys(value).filter((k) => !(k in labels)),
  ];
  if (keys.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">Empty.</p>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      {keys.map((k) => (
        <div key={k} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{labels[k] ?? k}</dt>
          <dd className="font-mono break-all text-slate-900 dark:text-slate-100">{plain(value[k])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Packages as a table: from the list form (name, version, URL) or the map form (name → file or version). */
export function SoftwareTable({
  rows,
  caption,
}: {
  rows: { name: string; version: string; url?: string }[];
  caption: string;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No packages.</p>;
  const withUrl = rows.some((r) => r.url);
  return (
    <div tabIndex={0} className="max-h-80 overflow-auto">
      <Table>
        <caption className="sr-only">{caption}</caption>
        <THead>
          <tr>
            <Th>Package</Th>
            <Th>Version</Th>
            {withUrl && <Th>URL</Th>}
          </tr>
        </THead>
        <TBody>
          {rows.map((r, i) => (
            <Tr key={`${r.name}-${i}`}>
              <Td className="font-mono">{r.name}</Td>
              <Td className="font-mono">{r.version}</Td>
              {withUrl && <Td className="font-mono break-all">{r.url ?? ""}</Td>}
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

export function OperationBadges({ value }: { value: unknown }) {
  if (!Array.isArray(value)) return <code className="font-mono text-sm">{plain(value)}</code>;
  if (value.length === 0)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">None: the device accepts no operations.</p>
    );
  return (
    <ul className="flex flex-wrap gap-1.5">
      {value.map((op, i) => (
        <li key={i}>
          <Badge tone="accent">{plain(op)}</Badge>
        </li>
      ))}
    </ul>
  );
}

export function ConfigurationText({ value }: { value: unknown }) {
  const text = isPlainObject(value) && typeof value.config === "string" ? value.config : null;
  if (text === null) return <FieldList value={value} labels={{}} />;
  if (text === "") return <p className="text-sm text-slate-600 dark:text-slate-400">Empty configuration.</p>;
  return (
    <pre
      tabIndex={0}
      className="max-h-80 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs whitespace-pre text-slate-900 dark:bg-slate-800 dark:text-slate-100"
    >
      {text}
    </pre>
  );
}
