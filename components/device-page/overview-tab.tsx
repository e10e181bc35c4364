import type { ReactNode } from "react";
import { isPlainObject } from "@/lib/fragments/diff";
import type { DeviceDto } from "@/lib/schemas/device";
import {
  ConfigurationText,
  FieldList,
  FragmentCard,
  OperationBadges,
  SoftwareTable,
  plain,
} from "./fragment-cards";

const HARDWARE = { model: "Model", revision: "Revision", serialNumber: "Serial number" };
const MOBILE = { imei: "IMEI", iccid: "ICCID", imsi: "IMSI", msisdn: "MSISDN", cellId: "Cell id" };
const FIRMWARE = { name: "Name", version: "Version", url: "URL" };

function listRows(value: unknown) {
  if (!Array.isArray(value)) return null;
  return value.map((item) =>
    isPlainObject(item)
      ? {
          name: plain(item.name ?? ""),
          version: plain(item.version ?? ""),
          url: item.url ? plain(item.url) : undefined,
        }
      : { name: plain(item), version: "" },
  );
}

function mapRows(value: unknown) {
  if (!isPlainObject(value)) return null;
  return Object.entries(value).map(([name, v]) => ({ name, version: plain(v) }));
}

/** The device's standard fragments as readable cards; fragments it does not report are named at the end. */
export function OverviewTab({ device }: { device: DeviceDto }) {
  const f = device.fragments;
  const cards: [string, string, ReactNode][] = [];
  const missing: string[] = [];
  const add = (key: string, title: string, body: (v: unknown) => ReactNode) => {
    if (f[key] === undefined) missing.push(title);
    else cards.push([key, title, body(f[key])]);
  };
  add("c8y_Hardware", "Hardware", (v) => <FieldList value={v} labels={HARDWARE} />);
  add("c8y_Firmware", "Firmware", (v) => <FieldList value={v} labels={FIRMWARE} />);
  add("c8y_Mobile", "Mobile", (v) => <FieldList value={v} labels={MOBILE} />);
  add("c8y_SupportedOperations", "Supported operations", (v) => <OperationBadges value={v} />);
  add("c8y_SoftwareList", "Software", (v) => {
    const rows = listRows(v);
    return rows ? <SoftwareTable rows={rows} caption="Installed software" /> : <code>{plain(v)}</code>;
  });
  add("c8y_Software", "Software (map form)", (v) => {
    const rows = mapRows(v);
    return rows ? (
      <SoftwareTable rows={rows} caption="Installed software, map form" />
    ) : (
      <code>{plain(v)}</code>
    );
  });
  add("c8y_Configuration", "Configuration", (v) => <ConfigurationText value={v} />);

  return (
    <div className="flex flex-col gap-4">
      {cards.length > 0 ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {cards.map(([key, title, body]) => (
            <FragmentCard key={key} id={`overview-${key}`} title={title} fragment={key}>
              {body}
            </FragmentCard>
          ))}
        </div>
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white px-5 py-4 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
          This object reports none of the standard device fragments. Its data is on the Fragments tab.
        </p>
      )}
      {missing.length > 0 && cards.length > 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">Not reported: {missing.join(", ")}.</p>
      )}
    </div>
  );
}
