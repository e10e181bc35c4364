/** The `g <key>` moves between the console's sections. */
export const GO_TO = [
  { key: "r", href: "/registrations", label: "Registrations" },
  { key: "d", href: "/devices", label: "Devices" },
  { key: "o", href: "/operations", label: "Operations" },
] as const;
