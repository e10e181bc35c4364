import { redirect } from "next/navigation";

/** The console starts at the fleet overview (the console layout sends signed-out visitors to /login). */
export default function HomePage() {
  redirect("/overview");
}
