export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-4 px-6 py-24">
      <h1 className="text-2xl font-semibold tracking-tight">c8y console</h1>
      <p className="text-slate-600 dark:text-slate-400">
        An operator console for Cumulocity IoT device management. The console pages arrive with the next
        issues; the embedded platform runs with <code className="font-mono">npm run emulator</code>.
      </p>
    </main>
  );
}
