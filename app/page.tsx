import { redirect } from "next/navigation";

/** The console starts at device registration (the console layout sends signed-out visitors to /login). */
export default function HomePage() {
  redirect("/registrations");
}
