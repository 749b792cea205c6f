import { Injectable } from "@angular/core";
import { HttpClient } from "@angular/common/http";

@Injectable({ providedIn: "root" })
export class AuthService {
  private readonly TOKEN_KEY = "access_token";

  constructor(private http: HttpClient) {}

  login(email: string, password: string) {
    return this.http.post<{ accessToken: string }>("/api/login", { email, password }).subscribe((res) => {
      localStorage.setItem(this.TOKEN_KEY, res.accessToken);
    });
  }

  logout(): void {
    localStorage.removeItem(this.TOKEN_KEY);
  }
}
