"use client";

import { useId, useState } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TabPanel, Tabs } from "@/components/ui/tabs";
import { BulkCsvForm } from "./bulk-csv-form";
import { RegisterIdsForm } from "./register-ids-form";

type Mode = "ids" | "csv";
const MODES = [
  { value: "ids", label: "Enter ids" },
  { value: "csv", label: "Upload a file" },
] as const;

/** Where new devices are announced to the platform: typed/pasted ids, or a bulk file. */
export function RegisterPanel({ busy, onRegister }: { busy: boolean; onRegister: (ids: string[]) => void }) {
  const titleId = useId();
  const idBase = useId();
  const [mode, setMode] = useState<Mode>("ids");
  return (
    <Card aria-labelledby={titleId} className="mb-6">
      <CardHeader
        titleId={titleId}
        title="Register devices"
        description="Register a device's id, then switch the device on: it appears below as pending acceptance once it asks for credentials."
      />
      <div className="px-5 pt-2">
        <Tabs items={MODES} value={mode} onChange={setMode} label="How to register" idBase={idBase} />
      </div>
      <CardBody>
        <TabPanel idBase={idBase} value={mode}>
          {mode === "ids" ? (
            <RegisterIdsForm busy={busy} onRegister={onRegister} />
          ) : (
            <BulkCsvForm busy={busy} />
          )}
        </TabPanel>
      </CardBody>
    </Card>
  );
}
