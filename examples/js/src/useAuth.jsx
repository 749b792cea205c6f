import { createContext, useContext, useEffect, useState } from "react";

const AuthContext = createContext(null);

export function AuthProvider({ children }) {
  const [jwt, setJwt] = useState(() => sessionStorage.getItem("jwt"));
  useEffect(() => {
    if (jwt) sessionStorage.jwt = jwt;
  }, [jwt]);
  return <AuthContext.Provider value={{ jwt, setJwt }}>{children}</AuthContext.Provider>;
}

export const useAuth = () => useContext(AuthContext);
