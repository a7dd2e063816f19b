import "@fontsource/inter/400.css";
import "@fontsource/inter/600.css";
import "./globals.css";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/trpc/react";

export const metadata: Metadata = {
  title: "PACTS",
  description: "Plain-English browser tests that heal themselves",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
