// Realistic device models for the simulator. A registration id always maps to the same model (a hash picks it),
// so a device looks the same after every restart and step 4 of the startup phase has nothing to update.
import { createHash } from "node:crypto";

export interface SoftwareItem {
  name: string;
  version: string;
  url?: string;
  softwareType?: string;
}

export interface Firmware {
  name: string;
  version: string;
  url?: string;
}

/** What a simulated device really has installed and configured; kept in the data dir, reported to inventory. */
export interface DeviceState {
  config: string;
  firmware: Firmware;
  software: SoftwareItem[];
  relay?: "OPEN" | "CLOSED";
}

export interface AgentModel {
  key: string;
  type: string;
  /** Prefix of the default name; the serial follows. */
  namePrefix: string;
  hardwareModel: string;
  revision: string;
  supportedOperations: string[];
  os: { prettyName: string; id: string; versionId: string; kernel: string; arch: string };
  firmware: Firmware;
  software: SoftwareItem[];
  config: (serial: string) => string;
}

export interface ChildModel {
  key: string;
  type: string;
  namePrefix: string;
  hardwareModel: string;
  revision: string;
  supportedOperations: string[];
  firmware: Firmware;
  config: (serial: string) => string;
  relay?: "OPEN" | "CLOSED";
}

const AGENT_OPERATIONS = [
  "c8y_Restart",
  "c8y_Configuration",
  "c8y_Firmware",
  "c8y_SoftwareUpdate",
  "c8y_SoftwareList",
  "c8y_Command",
];

export const AGENT_MODELS: readonly AgentModel[] = [
  {
    key: "raspi4",
    type: "c8y_Linux",
    namePrefix: "RaspPi 4B",
    hardwareModel: "Raspberry Pi 4 Model B Rev 1.4",
    revision: "d03114",
    supportedOperations: AGENT_OPERATIONS,
    os: {
      prettyName: "Debian GNU/Linux 12 (bookworm)",
      id: "debian",
      versionId: "12",
      kernel: "6.6.31+rpt-rpi-v8",
      arch: "aarch64",
    },
    firmware: { name: "raspberrypi-bootloader", version: "1.20240529-1" },
    software: [
      { name: "c8y-agent", version: "1.4.2", softwareType: "apt" },
      { name: "mosquitto", version: "2.0.11-1.2", softwareType: "apt" },
      { name: "openssh-server", version: "1:9.2p1-2+deb12u3", softwareType: "apt" },
      { name: "python3", version: "3.11.2-1+b1", softwareType: "apt" },
    ],
    config: (serial) =>
      [
        `# agent configuration for ${serial}`,
        "c8y.log.level=INFO",
        "c8y.measurement.interval=60",
        "c8y.heartbeat.interval=600",
        "modbus.enabled=true",
      ].join("\n"),
  },
  {
    key: "iot2050",
    type: "c8y_Linux",
    namePrefix: "SIMATIC IOT2050",
    hardwareModel: "SIMATIC IOT2050 Advanced",
    revision: "6ES7647-0BA00-1YA2",
    supportedOperations: AGENT_OPERATIONS,
    os: {
      prettyName: "Industrial OS 4.0 (bookworm)",
      id: "industrial-os",
      versionId: "4.0",
      kernel: "6.1.83-cip17",
      arch: "aarch64",
    },
    firmware: { name: "iot2050-firmware", version: "V01.04.02" },
    software: [
      { name: "c8y-agent", version: "1.4.2", softwareType: "apt" },
      { name: "node-red", version: "3.1.9", softwareType: "apt" },
      { name: "mosquitto", version: "2.0.11-1.2", softwareType: "apt" },
    ],
    config: (serial) =>
      [
        `# gateway ${serial}`,
        "c8y.log.level=WARN",
        "c8y.measurement.interval=30",
        "opcua.endpoint=opc.tcp://192.168.200.1:4840",
        "opcua.security=Basic256Sha256",
      ].join("\n"),
  },
  {
    key: "rutx11",
    type: "c8y_Router",
    namePrefix: "RUTX11",
    hardwareModel: "Teltonika RUTX11",
    revision: "RUTX1100XXXX",
    supportedOperations: AGENT_OPERATIONS,
    os: {
      prettyName: "RutOS 7.8",
      id: "openwrt",
      versionId: "21.02",
      kernel: "5.10.209",
      arch: "armv7l",
    },
    firmware: { name: "RUTX_R_00.07", version: "07.08.2" },
    software: [
      { name: "c8y-agent", version: "1.3.9", softwareType: "opkg" },
      { name: "openvpn-openssl", version: "2.5.8-4", softwareType: "opkg" },
      { name: "modbusd", version: "2024-03-11", softwareType: "opkg" },
    ],
    config: (serial) =>
      [
        `# router ${serial}`,
        "c8y.log.level=INFO",
        "wan.failover=mobile",
        "mobile.apn=internet.m2m",
        "firewall.remote_ssh=false",
      ].join("\n"),
  },
];

export const CHILD_MODELS: readonly ChildModel[] = [
  {
    key: "energy-meter",
    type: "c8y_EnergyMeter",
    namePrefix: "Energy meter",
    hardwareModel: "Janitza UMG 96RM",
    revision: "5222062",
    supportedOperations: ["c8y_Restart", "c8y_Configuration", "c8y_Firmware"],
    firmware: { name: "umg96rm", version: "4.113" },
    config: () => ["modbus.address=17", "modbus.baudrate=19200", "ct.ratio=100/5"].join("\n"),
  },
  {
    key: "smart-plug",
    type: "c8y_SmartPlug",
    namePrefix: "Smart plug",
    hardwareModel: "Aqara Smart Plug EU SP-EUC01",
    revision: "1.0",
    supportedOperations: ["c8y_Relay", "c8y_Configuration", "c8y_Firmware"],
    firmware: { name: "zigbee-plug", version: "0.0.0_0094" },
    config: () => ["zigbee.channel=15", "power.report.interval=60"].join("\n"),
    relay: "CLOSED",
  },
  {
    key: "climate-sensor",
    type: "c8y_TemperatureSensor",
    namePrefix: "Climate sensor",
    hardwareModel: "Ruuvi Tag Pro 3in1",
    revision: "B",
    supportedOperations: ["c8y_Configuration", "c8y_Firmware"],
    firmware: { name: "ruuvi-fw", version: "3.31.1" },
    config: () => ["ble.advertising.interval=1285", "sensor.rate=1"].join("\n"),
  },
];

/** Stable digits from an id, for serial-like numbers that survive restarts. */
function digits(id: string, salt: string, length: number): string {
  const hex = createHash("sha256").update(`${salt}:${id}`).digest("hex");
  let out = "";
  for (let i = 0; out.length < length; i += 2) out += String(parseInt(hex.slice(i, i + 2), 16) % 10);
  return out;
}

function pick<T>(list: readonly T[], id: string): T {
  const n = parseInt(createHash("sha256").update(id).digest("hex").slice(0, 8), 16);
  return list[n % list.length]!;
}

export function agentModelFor(serial: string): AgentModel {
  return pick(AGENT_MODELS, serial);
}

export function childModelFor(index: number): ChildModel {
  return CHILD_MODELS[(index - 1) % CHILD_MODELS.length]!;
}

export function childSerial(agentSerial: string, index: number): string {
  return `${agentSerial}-child-${index}`;
}

export function initialAgentState(serial: string): DeviceState {
  const m = agentModelFor(serial);
  return {
    config: m.config(serial),
    firmware: { ...m.firmware },
    software: m.software.map((s) => ({ ...s })),
  };
}

export function initialChildState(serial: string, index: number): DeviceState {
  const m = childModelFor(index);
  const state: DeviceState = { config: m.config(serial), firmware: { ...m.firmware }, software: [] };
  if (m.relay) state.relay = m.relay;
  return state;
}

/** The software list as the legacy c8y_Software map (name → version), kept in step with c8y_SoftwareList. */
export function softwareMap(software: readonly SoftwareItem[]): Record<string, string> {
  return Object.fromEntries(software.map((s) => [s.name, s.version]));
}

/** The fragments that describe what can change on a device; step 4 compares exactly these. */
export function stateFragments(state: DeviceState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    c8y_Configuration: { config: state.config },
    c8y_Firmware: { ...state.firmware },
  };
  if (state.relay) out.c8y_Relay = { relayState: state.relay };
  return out;
}

export function softwareFragments(software: readonly SoftwareItem[]): Record<string, unknown> {
  return { c8y_SoftwareList: software.map((s) => ({ ...s })), c8y_Software: softwareMap(software) };
}

export interface Description {
  name: string;
  type: string;
  fragments: Record<string, unknown>;
}

/** The agent's managed object (step 2), from its model and current state. */
export function describeAgent(serial: string, state: DeviceState): Description {
  const m = agentModelFor(serial);
  return {
    name: `${m.namePrefix} ${serial}`,
    type: m.type,
    fragments: {
      c8y_IsDevice: {},
      com_cumulocity_model_Agent: {},
      c8y_SupportedOperations: [...m.supportedOperations],
      c8y_Hardware: { model: m.hardwareModel, revision: m.revision, serialNumber: serial },
      c8y_Mobile: {
        imei: `35${digits(serial, "imei", 13)}`,
        iccid: `8949${digits(serial, "iccid", 15)}`,
        cellId: `${digits(serial, "lac", 4)}-${digits(serial, "ci", 4)}`,
      },
      ...stateFragments(state),
      ...softwareFragments(state.software),
    },
  };
}

/** A child device's managed object (step 5): no agent marker, its own operations. */
export function describeChild(serial: string, index: number, state: DeviceState): Description {
  const m = childModelFor(index);
  return {
    name: `${m.namePrefix} ${serial}`,
    type: m.type,
    fragments: {
      c8y_IsDevice: {},
      c8y_SupportedOperations: [...m.supportedOperations],
      c8y_Hardware: { model: m.hardwareModel, revision: m.revision, serialNumber: serial },
      ...stateFragments(state),
    },
  };
}
