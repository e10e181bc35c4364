// Placeholder: later issues start the emulator, simulated devices and the console here.
export default function globalSetup(): void {}
