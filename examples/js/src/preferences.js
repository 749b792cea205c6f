// Preferences belong in web storage: nothing here is a credential.
export function savePreferences({ theme, locale }) {
  localStorage.setItem("theme", theme);
  window.localStorage.setItem("locale", locale);
}
